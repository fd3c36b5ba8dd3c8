import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { OriginWsAdapter } from '../src/ws/index.js';
import { DemoAppModule } from './app.module.js';

export interface DemoAppOptions {
  readonly port: number;
  readonly host: string;
  /** `false` runs Nest's plain `WsAdapter`: the vulnerable control. */
  readonly guarded?: boolean;
  /**
   * Origins allowed besides the chat's own, e.g. `'null'` to show why opaque origins must not
   * be listed: any page can produce one with a sandboxed iframe.
   */
  readonly extraAllowedOrigins?: readonly string[];
  readonly logger?: LoggerService | LogLevel[];
}

/** The chat app, protected by nestjs-origin-guard unless `guarded` is `false`. */
export async function createDemoApp(options: DemoAppOptions): Promise<INestApplication> {
  const allowedOrigins = [
    `http://localhost:${options.port}`,
    `http://127.0.0.1:${options.port}`,
    ...(options.extraAllowedOrigins ?? []),
  ];
  const app = await NestFactory.create(DemoAppModule.register(allowedOrigins), {
    logger: options.logger ?? ['log', 'warn', 'error'],
  });
  app.useWebSocketAdapter(
    options.guarded === false ? new WsAdapter(app) : new OriginWsAdapter(app),
  );
  await app.listen(options.port, options.host);
  return app;
}
