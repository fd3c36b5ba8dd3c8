import type { OriginDecision } from '../../src/policy/origin-decision.js';
import { OriginPolicy } from '../../src/policy/origin-policy.js';
import { expect } from 'vitest';

/**
 * Test helper: decides from header lines alone, for policies without predicates (which would
 * make the decision asynchronous). Not part of the package.
 */
export function decideSync(policy: OriginPolicy, rawHeaders: readonly string[]): OriginDecision {
  const decision = policy.evaluate({ rawHeaders }, { gateways: [] });
  if (decision instanceof Promise) throw new Error('this policy decides asynchronously');
  return decision;
}

/** Test helper: the guard's re-check of a recorded origin, for policies without predicates. */
export function recheckSync(policy: OriginPolicy, origin: string | undefined): boolean {
  const decision = policy.recheck(origin, { rawHeaders: [] }, { gateways: [] });
  if (decision instanceof Promise) throw new Error('this policy decides asynchronously');
  return decision.allowed;
}

/** Test helper: compiles an allowlist that must have no problems. */
export function compileClean(list: unknown, allowMissingOrigin = true): OriginPolicy {
  const { policy, problems } = OriginPolicy.compile(list, { allowMissingOrigin }, 'allowedOrigins');
  expect(problems).toEqual([]);
  return policy;
}

/** Test helper: decides a handshake with `Host: app.example.com` and `Origin: origin`. */
export function decideOrigin(policy: OriginPolicy, origin: string): OriginDecision {
  return decideSync(policy, ['Host', 'app.example.com', 'Origin', origin]);
}
