import type { AddressInfo } from 'node:net';
import type { INestApplication, Provider, WebSocketAdapter } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Test } from '@nestjs/testing';
import { OriginGuardModule, type OriginGuardModuleOptions } from '../../src/index.js';
import { OriginIoAdapter } from '../../src/socket-io/index.js';
import type { BootedApp, HttpPlatform } from './boot.js';
import { CaptureLogger } from './capture-logger.js';

export interface IoBootSpec {
  readonly gateways: Function[];
  readonly options?: OriginGuardModuleOptions;
  readonly providers?: Provider[];
  readonly platform?: HttpPlatform;
  /**
   * `origin` installs `OriginIoAdapter`; `plain` installs Nest's own `IoAdapter`, the
   * unprotected control; a function builds any other adapter for the app.
   */
  readonly adapter?: 'origin' | 'plain' | ((app: INestApplication) => WebSocketAdapter);
}

/** Boots a real Nest application with a Socket.IO adapter on an ephemeral loopback port. */
export async function bootIoApp(spec: IoBootSpec): Promise<BootedApp> {
  const logger = new CaptureLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [
      OriginGuardModule.forRoot(spec.options ?? { allowedOrigins: ['https://app.example.com'] }),
    ],
    providers: [...spec.gateways, ...(spec.providers ?? [])] as Provider[],
  })
    .setLogger(logger)
    .compile();
  const app =
    spec.platform === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), { logger })
      : moduleRef.createNestApplication({ logger });
  const adapter = spec.adapter ?? 'origin';
  app.useWebSocketAdapter(
    adapter === 'origin'
      ? new OriginIoAdapter(app)
      : adapter === 'plain'
        ? new IoAdapter(app)
        : adapter(app),
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, port, logger };
}
