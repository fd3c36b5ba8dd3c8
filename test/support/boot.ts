import type { AddressInfo } from 'node:net';
import type { DynamicModule, INestApplication, Provider, WebSocketAdapter } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll } from 'vitest';
import { OriginGuardModule, type OriginGuardModuleOptions } from '../../src/index.js';
import { OriginIoAdapter } from '../../src/socket-io/index.js';
import { OriginWsAdapter } from '../../src/ws/index.js';
import { CaptureLogger } from './capture-logger.js';

export type HttpPlatform = 'express' | 'fastify';

export interface BootSpec {
  readonly gateways: Function[];
  readonly options?: OriginGuardModuleOptions;
  /** Replaces `OriginGuardModule.forRoot(options)`, e.g. with `forRootAsync`. */
  readonly originModule?: DynamicModule;
  readonly imports?: DynamicModule[];
  readonly providers?: Provider[];
  readonly platform?: HttpPlatform;
  /** @default 'ws' */
  readonly transport?: 'ws' | 'socket.io';
  /**
   * `origin` installs the transport's origin-checking adapter; `plain` installs Nest's own
   * next to the module (with `allowUncheckedGateways: true`: only the app-wide upgrade gate
   * checks); `unprotected` installs Nest's own without the module (the vulnerable control);
   * `none` calls no `useWebSocketAdapter()` (Nest then picks its own); a function builds any
   * other adapter for the app.
   */
  readonly adapter?:
    'origin' | 'plain' | 'unprotected' | 'none' | ((app: INestApplication) => WebSocketAdapter);
  /** Serve HTTPS (Express only): the key and certificate, PEM. */
  readonly httpsOptions?: { readonly key: string; readonly cert: string };
}

export interface BootedApp {
  readonly app: INestApplication;
  readonly port: number;
  readonly logger: CaptureLogger;
}

/** Boots a real Nest application on an ephemeral loopback port. */
export async function bootApp(spec: BootSpec): Promise<BootedApp> {
  const logger = new CaptureLogger();
  const options = spec.options ?? { allowedOrigins: ['https://app.example.com'] };
  const originModules =
    spec.adapter === 'unprotected'
      ? []
      : [
          spec.originModule ??
            OriginGuardModule.forRoot(
              spec.adapter === 'plain' ? { allowUncheckedGateways: true, ...options } : options,
            ),
        ];
  const moduleRef = await Test.createTestingModule({
    imports: [...originModules, ...(spec.imports ?? [])],
    providers: [...spec.gateways, ...(spec.providers ?? [])] as Provider[],
  })
    .setLogger(logger)
    .compile();
  const app =
    spec.platform === 'fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter(), { logger })
      : moduleRef.createNestApplication({ logger, httpsOptions: spec.httpsOptions });
  if (spec.adapter !== 'none') app.useWebSocketAdapter(adapterFor(app, spec));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, port, logger };
}

/**
 * Call in a `describe`: boots an app (`bootApp`, or any other boot) before the suite's cases
 * and closes it after them. The returned app reads the booted one; inside a case only.
 */
export function bootForSuite(boot: () => Promise<BootedApp>): BootedApp {
  let booted: BootedApp | undefined;
  beforeAll(async () => {
    booted = await boot();
  });
  afterAll(() => booted?.app.close());
  const current = (): BootedApp => {
    if (booted === undefined) throw new Error('bootForSuite(): the app is not booted yet');
    return booted;
  };
  return {
    get app() {
      return current().app;
    },
    get port() {
      return current().port;
    },
    get logger() {
      return current().logger;
    },
  };
}

function adapterFor(app: INestApplication, spec: BootSpec): WebSocketAdapter {
  const adapter = spec.adapter ?? 'origin';
  if (typeof adapter === 'function') return adapter(app);
  if (spec.transport === 'socket.io') {
    return adapter === 'origin' ? new OriginIoAdapter(app) : new IoAdapter(app);
  }
  return adapter === 'origin' ? new OriginWsAdapter(app) : new WsAdapter(app);
}
