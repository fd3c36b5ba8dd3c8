import type { INestApplication, LoggerService, LogLevel, WebSocketAdapter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { OriginIoAdapter } from '../src/socket-io/index.js';
import { OriginWsAdapter } from '../src/ws/index.js';
import { DemoAppModule } from './app.module.js';
import type { OriginGuardModuleOptions } from '../src/index.js';
import type { ChatTransport } from './chat-endpoint.js';
import type { SessionStore } from './session.store.js';

export interface DemoAppOptions {
  readonly port: number;
  readonly host: string;
  /** `false` runs Nest's plain `WsAdapter` or `IoAdapter`: the vulnerable control. */
  readonly guarded?: boolean;
  /** The chat's socket: plain WebSockets at `/chat` (default) or Socket.IO. */
  readonly transport?: ChatTransport;
  /**
   * Origins allowed besides the chat's own, e.g. `'null'` to show why opaque origins must not
   * be listed: any page can produce one with a sandboxed iframe.
   */
  readonly extraAllowedOrigins?: readonly string[];
  /** The guard's mode: `'report-only'` logs "would refuse" and lets the handshake in. */
  readonly mode?: OriginGuardModuleOptions['mode'];
  /**
   * The guard's `allowJsonpPolling` (Socket.IO): serve engine.io JSONP polling, off by default
   * because a `<script>` tag on any site can use it. Where the browser sends Fetch Metadata
   * (https, or localhost as here), the guard still refuses another page's `<script>`.
   */
  readonly allowJsonpPolling?: boolean;
  /** Logins shared with another demo app: one login serves both chats. */
  readonly sessions?: SessionStore;
  /** Added to the gateway's log context, to tell two chats in one console apart. */
  readonly logLabel?: string;
  readonly logger?: LoggerService | LogLevel[];
}

/** The chat app, protected by nestjs-origin-guard unless `guarded` is `false`. */
export async function createDemoApp(options: DemoAppOptions): Promise<INestApplication> {
  const allowedOrigins = [
    `http://localhost:${options.port}`,
    `http://127.0.0.1:${options.port}`,
    ...(options.extraAllowedOrigins ?? []),
  ];
  const transport = options.transport ?? 'ws';
  const guarded = options.guarded !== false;
  const app = await NestFactory.create(
    DemoAppModule.register({
      allowedOrigins,
      transport,
      guarded,
      logLabel: options.logLabel,
      mode: options.mode,
      allowJsonpPolling: options.allowJsonpPolling,
      sessions: options.sessions,
    }),
    { logger: options.logger ?? ['log', 'warn', 'error'] },
  );
  app.useWebSocketAdapter(webSocketAdapter(app, transport, guarded));
  await app.listen(options.port, options.host);
  return app;
}

function webSocketAdapter(
  app: INestApplication,
  transport: ChatTransport,
  guarded: boolean,
): WebSocketAdapter {
  if (transport === 'socket.io') return guarded ? new OriginIoAdapter(app) : new IoAdapter(app);
  return guarded ? new OriginWsAdapter(app) : new WsAdapter(app);
}
