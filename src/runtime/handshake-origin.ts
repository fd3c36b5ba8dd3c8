import type { HandshakeRequest } from '../policy/handshake-request.js';
import { clientSlot } from './client-slot.js';

/**
 * What an accepted handshake recorded about its client: the origin (normalized, `'null'`, or
 * `undefined` when none was sent; in report-only mode, what was claimed), the request, which
 * predicates and same-origin checks read again when `OriginGuard` re-checks, and the path it
 * was routed by.
 *
 * @example
 * ```ts
 * const { origin } = getHandshakeOrigin(client) ?? {}; // 'https://app.example.com'
 * ```
 * @publicApi
 */
export interface HandshakeOrigin {
  readonly origin: string | undefined;
  readonly request: HandshakeRequest;
  /** The path the handshake was routed by (see `OriginCheckContext.path`). */
  readonly path: string;
}

/**
 * The origin each accepted client presented at its handshake, so that `OriginGuard` can apply
 * handler policies later: message events carry no HTTP headers.
 */
const handshakeOrigins = clientSlot<HandshakeOrigin>('handshake-origin');

export function recordHandshakeOrigin(client: object, origin: HandshakeOrigin): void {
  handshakeOrigins.set(client, origin);
}

/**
 * The origin recorded for a client by an origin-checking adapter, or `undefined` when the
 * client did not come through one.
 *
 * @example
 * ```ts
 * handleConnection(client: WebSocket) {
 *   this.logger.log(`connected from ${getHandshakeOrigin(client)?.origin ?? 'a non-browser client'}`);
 * }
 * ```
 * @publicApi
 */
export function getHandshakeOrigin(client: object): HandshakeOrigin | undefined {
  return handshakeOrigins.get(client);
}
