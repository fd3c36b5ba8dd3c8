import type { OriginDecision } from './policy/origin-decision.js';

/**
 * Runs `then` with a decision that may still be pending: `HandshakeGate.decide()` returns a
 * promise only while a predicate is being asked. The synchronous path stays synchronous (no
 * microtask per handshake); a promise that rejects, which the policy engine promises never to
 * do, counts as a refusal: fail closed.
 */
export function whenDecided(
  decision: OriginDecision | PromiseLike<OriginDecision>,
  then: (decision: OriginDecision) => void,
  failed: () => void,
): void {
  if (isPromiseLike(decision)) decision.then(then, failed);
  else then(decision);
}

export function isPromiseLike(value: object): value is PromiseLike<OriginDecision> {
  return typeof (value as { then?: unknown }).then === 'function';
}
