import type { INestApplicationContext } from '@nestjs/common';
import { whenReady } from '../runtime/maybe-async.js';
import { runtimeOf } from './origin-guard-runtime.js';

/**
 * The `origin` callback shape of `cors` (Express) and `@fastify/cors`, as returned by
 * `corsOrigin()`.
 *
 * @example
 * ```ts
 * const origin: CorsOriginCallback = corsOrigin(app);
 * app.enableCors({ origin, credentials: true });
 * ```
 * @publicApi
 */
export type CorsOriginCallback = (
  origin: string | undefined,
  callback: (error: Error | null, allow?: boolean) => void,
) => void;

/**
 * One allowlist for HTTP CORS and WebSocket handshakes: an `origin` callback for
 * `app.enableCors()` that answers from the module's `allowedOrigins`, with the same strict
 * parsing (a malformed or duplicate-looking `Origin` gets no CORS headers), wildcards, patterns
 * and predicates.
 *
 * It follows the module's list, not gateway-level `@AllowedOrigins`, and ignores `mode`: CORS
 * answers are enforced from the first request (report-only is a WebSocket rollout tool). A
 * request without `Origin` is not a cross-origin browser request and gets no CORS headers;
 * `sameOrigin` does not apply, since browsers never use CORS for same-origin requests.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * app.enableCors({ origin: corsOrigin(app), credentials: true });
 * app.useWebSocketAdapter(new OriginWsAdapter(app));
 * ```
 * @publicApi
 */
export function corsOrigin(app: INestApplicationContext): CorsOriginCallback {
  const policy = runtimeOf(app, 'corsOrigin()', 'pass the application: corsOrigin(app)').registry
    .defaultPolicy;
  return (origin, callback) => {
    if (origin === undefined) return callback(null, false);
    whenReady(
      policy.evaluate({ rawHeaders: ['Origin', origin] }, { gateways: [] }),
      (decision) => callback(null, decision.allowed),
      () => callback(null, false),
    );
  };
}
