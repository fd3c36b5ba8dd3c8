import type { OriginDecision, RefusalReason } from '../../src/policy/origin-decision.js';

/** Test helper: an allowed decision, by default matched by the entry that is the origin itself. */
export function allowedDecision(origin: string, matchedEntry: string = origin): OriginDecision {
  return { allowed: true, origin, matchedEntry };
}

/** Test helper: a refusal of the claimed origin. */
export function refusedDecision(claimed: string, reason: RefusalReason): OriginDecision {
  return { allowed: false, reason, claimed };
}

/** Test helper: the header lines of a browser handshake from `origin` to `app.example.com`. */
export function hostileHeaders(origin: string, userAgent: string): string[] {
  return ['Host', 'app.example.com', 'Origin', origin, 'User-Agent', userAgent];
}
