import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { withOriginCheck } from './with-origin-check.js';

/**
 * Nest's `IoAdapter` with the origin policy enforced on every engine.io HTTP request (polling
 * handshake, polls and POSTs with a `sid`, WebSocket upgrades) before engine.io, Socket.IO
 * middleware or any gateway code sees it. A refused request is answered with
 * `403 Forbidden` and no CORS headers; an accepted one behaves exactly as with `IoAdapter`.
 *
 * Gateways that share an engine but serve different namespaces may declare different
 * `@AllowedOrigins`: each namespace then refuses the origins it does not allow with a
 * `connect_error` "Origin not allowed", before `handleConnection`.
 *
 * To add the check to an adapter class you already have, use `withOriginCheck`.
 *
 * @example
 * ```ts
 * import { OriginIoAdapter } from 'nestjs-origin-guard/socket.io';
 *
 * const app = await NestFactory.create(AppModule);
 * app.useWebSocketAdapter(new OriginIoAdapter(app));
 * ```
 * @publicApi
 */
export class OriginIoAdapter extends withOriginCheck(IoAdapter) {
  // Not redundant: it narrows IoAdapter's optional `appOrHttpServer` to a required application,
  // which is where the origin policy is looked up.
  // oxlint-disable-next-line eslint/no-useless-constructor
  constructor(app: INestApplicationContext) {
    super(app);
  }
}
