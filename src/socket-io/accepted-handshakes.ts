import type { IncomingMessage } from 'node:http';
import type { OriginDecision } from '../policy/origin-decision.js';

type Accepted = Extract<OriginDecision, { allowed: true }>;

/**
 * The decision the engine gate made for each request it let through. Socket.IO hands the
 * engine's handshake request to namespace middleware as `socket.request`, so the namespace
 * check can reuse this decision instead of deciding the same headers again. Weak keys: an entry
 * goes away with its request.
 */
const accepted = new WeakMap<IncomingMessage, Accepted>();

export function rememberAcceptedRequest(req: IncomingMessage, decision: Accepted): void {
  accepted.set(req, decision);
}

/** The engine gate's decision for `req`, or `undefined` when the request did not pass it. */
export function acceptedRequest(req: IncomingMessage): Accepted | undefined {
  return accepted.get(req);
}
