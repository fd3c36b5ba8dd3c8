import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import type { AddressInfo } from 'node:net';
import { OriginIoAdapter } from '../src/socket-io/index.js';
import { OriginWsAdapter } from '../src/ws/index.js';
import { BenchAppModule } from './bench-app.module.js';

/** Which WebSocket adapter the server runs: Nest's own (the control) or ours. */
export type ServerAdapter = 'ws-plain' | 'ws-origin' | 'io-plain' | 'io-origin';

export const SERVER_ADAPTERS: readonly ServerAdapter[] = [
  'ws-plain',
  'ws-origin',
  'io-plain',
  'io-origin',
];

/** A real Nest application (Express platform, the default) with the bench gateway on its HTTP server. */
export async function startBenchApp(
  adapter: ServerAdapter,
): Promise<{ app: INestApplication; port: number }> {
  // Warnings stay on: the refusal log is part of what a refused handshake costs.
  const app = await NestFactory.create(BenchAppModule, { logger: ['warn', 'error'] });
  app.useWebSocketAdapter(createAdapter(adapter, app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, port };
}

function createAdapter(adapter: ServerAdapter, app: INestApplication) {
  switch (adapter) {
    case 'ws-plain':
      return new WsAdapter(app);
    case 'ws-origin':
      return new OriginWsAdapter(app);
    case 'io-plain':
      return new IoAdapter(app);
    case 'io-origin':
      return new OriginIoAdapter(app);
  }
}
