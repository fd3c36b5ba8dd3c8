import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { OriginIoAdapter } from '../src/socket-io/index.js';
import { OriginWsAdapter } from '../src/ws/index.js';
import { BenchAppModule, NaiveVerifyAppModule, PlainBenchAppModule } from './bench-app.module.js';

/**
 * Which server runs: Nest's own adapters (the control), ours, Nest's `WsAdapter` with a naive
 * `verifyClient` origin check, or a bare `ws` server without Nest (the floor).
 */
export type ServerAdapter =
  | 'ws-plain'
  | 'ws-origin'
  | 'ws-origin-no-gate'
  | 'ws-naive'
  | 'ws-bare'
  | 'http-refuse'
  | 'io-plain'
  | 'io-origin';

export const SERVER_ADAPTERS: readonly ServerAdapter[] = [
  'ws-plain',
  'ws-origin',
  'ws-origin-no-gate',
  'ws-naive',
  'ws-bare',
  'http-refuse',
  'io-plain',
  'io-origin',
];

export interface BenchServer {
  readonly port: number;
  /** `OriginWsAdapter` apps only: takes the app-wide upgrade gate off, or puts it back. */
  readonly setUpgradeGate?: (on: boolean) => void;
  close(): Promise<void>;
}

/** A real Nest application (Express platform, the default) with the bench gateway on its HTTP server. */
export async function startBenchApp(adapter: ServerAdapter): Promise<BenchServer> {
  if (adapter === 'ws-bare') return startBareWs();
  if (adapter === 'http-refuse') return startRefusingHttp();
  // Warnings stay on: the refusal log is part of what a refused handshake costs.
  const module =
    adapter === 'ws-naive'
      ? NaiveVerifyAppModule
      : adapter === 'ws-plain' || adapter === 'io-plain'
        ? PlainBenchAppModule
        : BenchAppModule;
  const app = await NestFactory.create(module, { logger: ['warn', 'error'] });
  app.useWebSocketAdapter(createAdapter(adapter, app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  if (adapter !== 'ws-origin' && adapter !== 'ws-origin-no-gate') {
    return { port, close: () => app.close() };
  }
  const setUpgradeGate = upgradeGateSwitch(app.getHttpServer() as Server);
  if (adapter === 'ws-origin-no-gate') setUpgradeGate(false);
  return { port, setUpgradeGate, close: () => app.close() };
}

function createAdapter(
  adapter: Exclude<ServerAdapter, 'ws-bare' | 'http-refuse'>,
  app: INestApplication,
) {
  switch (adapter) {
    case 'ws-plain':
    case 'ws-naive':
      return new WsAdapter(app);
    case 'ws-origin':
    case 'ws-origin-no-gate':
      return new OriginWsAdapter(app);
    case 'io-plain':
      return new IoAdapter(app);
    case 'io-origin':
      return new OriginIoAdapter(app);
  }
}

/**
 * Takes the app-wide upgrade gate off and puts it back (bench only, to measure what it costs):
 * its `emit` wrapper is an own property of the server, in front of `EventEmitter.prototype.emit`,
 * and its 404 listener is the last `'upgrade'` listener, added at bootstrap.
 */
function upgradeGateSwitch(server: Server): (on: boolean) => void {
  // The wrapper itself, an own property: restored as it is, never called from here.
  const gateEmit = Object.getOwnPropertyDescriptor(server, 'emit')!;
  const answerUnserved = server.listeners('upgrade').at(-1) as (...args: unknown[]) => void;
  let on = true;
  return (wanted) => {
    if (wanted === on) return;
    on = wanted;
    if (on) {
      Object.defineProperty(server, 'emit', gateEmit);
      server.on('upgrade', answerUnserved);
    } else {
      delete (server as { emit?: unknown }).emit;
      server.off('upgrade', answerUnserved);
    }
  };
}

/** `ws` alone on a Node HTTP server: no Nest, no check. What any `ws` handshake costs. */
async function startBareWs(): Promise<BenchServer> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (client) => client.on('error', () => {}));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** `ws`'s own refusal (`abortHandshake`): what a `verifyClient` that returns `false` answers. */
const WS_REFUSAL =
  'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 9\r\n\r\nForbidden';

/**
 * A Node HTTP server whose upgrade listener answers every upgrade 403 with `ws`'s bytes, and
 * nothing else: no Nest, no `ws`, no check. It closes the socket as cheaply as Node allows, the
 * way `refuseUpgrade` does on plain TCP (write, then `destroy()` once the kernel holds the whole
 * answer): what refusing a handshake costs on Node at least.
 */
async function startRefusingHttp(): Promise<BenchServer> {
  const http = createServer();
  http.on('upgrade', (_req, socket) => {
    socket.on('error', () => {});
    if (socket.write(WS_REFUSAL) && socket.writableLength === 0) {
      socket.destroy();
      return;
    }
    socket.once('finish', () => socket.destroy());
    socket.end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { port, close: () => new Promise((resolve) => http.close(() => resolve())) };
}
