import type { OriginDecision } from './origin-decision.js';
import type { OriginCheckMode } from './policy-settings.js';

/**
 * What a decision means under a policy's mode: the one place that says what report-only does.
 * A refusal in `'report-only'` is reported as "would refuse" and the request proceeds as if
 * allowed, carrying the origin it claimed (so `OriginGuard` can still re-check it later).
 */
export interface Enforcement {
  /** The request may proceed: allowed, or refused in report-only mode. */
  readonly proceeds: boolean;
  /** A refusal that was not enforced. */
  readonly reportOnly: boolean;
  /** The decision to act on: the refusal itself, or, in report-only mode, an allowed one. */
  readonly effective: OriginDecision;
}

export function enforce(decision: OriginDecision, mode: OriginCheckMode): Enforcement {
  if (decision.allowed) return { proceeds: true, reportOnly: false, effective: decision };
  if (mode !== 'report-only') return { proceeds: false, reportOnly: false, effective: decision };
  return {
    proceeds: true,
    reportOnly: true,
    effective: { allowed: true, origin: decision.claimed, matchedEntry: undefined },
  };
}

/**
 * `enforce(decision, mode).effective` without the `Enforcement` record: what a handshake acts
 * on. An allowed decision comes back as it is, so an allowed handshake allocates nothing here.
 */
export function effectiveDecision(decision: OriginDecision, mode: OriginCheckMode): OriginDecision {
  if (decision.allowed || mode !== 'report-only') return decision;
  return enforce(decision, mode).effective;
}
