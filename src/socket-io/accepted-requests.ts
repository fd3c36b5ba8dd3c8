import type { IncomingMessage } from 'node:http';
import type { AllowedDecision } from '../policy/origin-decision.js';
import { clientSlot } from '../runtime/client-slot.js';

/**
 * The decision the engine check made for each request it let through. Namespace joins reuse it
 * for the session's handshake request (`conn.request`) where the namespace has the engine's
 * policy, instead of deciding the same headers again.
 */
const accepted = clientSlot<AllowedDecision>('accepted-request');

export function rememberAcceptedRequest(req: IncomingMessage, decision: AllowedDecision): void {
  accepted.set(req, decision);
}

/** The engine check's decision for `req`, or `undefined` when the request did not pass it. */
export function acceptedRequest(req: IncomingMessage): AllowedDecision | undefined {
  return accepted.get(req);
}
