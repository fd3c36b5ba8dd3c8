import type { IncomingMessage } from 'node:http';
import type { OriginDecision } from '../policy/origin-decision.js';

type Accepted = Extract<OriginDecision, { allowed: true }>;

/**
 * The decision the engine gate made for each request it let through. Socket.IO hands the
 * engine's handshake request to namespace middleware as `socket.request`, so the namespace
 * check can reuse this decision instead of deciding the same headers again. Kept on the request
 * under a private symbol, not in a `WeakMap`, which measurably slowed every handshake.
 */
const ACCEPTED = Symbol('nestjs-origin-guard:accepted');

interface Remembered {
  [ACCEPTED]?: Accepted;
}

export function rememberAcceptedRequest(req: IncomingMessage, decision: Accepted): void {
  (req as Remembered)[ACCEPTED] = decision;
}

/** The engine gate's decision for `req`, or `undefined` when the request did not pass it. */
export function acceptedRequest(req: IncomingMessage): Accepted | undefined {
  return (req as Remembered)[ACCEPTED];
}
