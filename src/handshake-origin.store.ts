import type { HandshakeRequest } from './policy/handshake-request.js';

/**
 * What an accepted handshake recorded about its client: the origin (normalized, `'null'`, or
 * `undefined` when none was sent; in report-only mode, what was claimed) and the request, which
 * predicates and same-origin checks read again when `OriginGuard` re-checks.
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
 * handler policies later. Message events cannot carry it: by then there are no HTTP headers.
 *
 * Kept on the client under a private symbol rather than in a `WeakMap`: measured on every
 * accepted handshake, the `WeakMap` write (and the GC work of its ephemeron table) was the
 * largest single cost this library added (see BENCHMARKS.md).
 */
const HANDSHAKE_ORIGIN = Symbol('nestjs-origin-guard:handshake-origin');

interface Recorded {
  [HANDSHAKE_ORIGIN]?: HandshakeOrigin;
}

export function recordHandshakeOrigin(client: object, origin: HandshakeOrigin): void {
  (client as Recorded)[HANDSHAKE_ORIGIN] = origin;
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
  return (client as Recorded)[HANDSHAKE_ORIGIN];
}
