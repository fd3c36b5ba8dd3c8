import type { HandshakeOrigin } from './policy/origin-decision.js';

/**
 * The origin each accepted client presented at its handshake, so that `OriginGuard` can apply
 * handler policies later. Message events cannot carry it: by then there are no HTTP headers.
 * Weak keys: an entry goes away with its client.
 */
const handshakeOrigins = new WeakMap<object, HandshakeOrigin>();

export function recordHandshakeOrigin(client: object, origin: HandshakeOrigin): void {
  handshakeOrigins.set(client, origin);
}

/**
 * The origin recorded for a client by an origin-checking adapter, or `undefined` when the
 * client did not come through one.
 *
 * @publicApi
 */
export function getHandshakeOrigin(client: object): HandshakeOrigin | undefined {
  return handshakeOrigins.get(client);
}
