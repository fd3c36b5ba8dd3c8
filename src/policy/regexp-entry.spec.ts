import { describe, expect, it } from 'vitest';
import { allows, suggestedEntries } from '../../test/support/entry-fixes.js';
import { OriginPolicy } from './origin-policy.js';

/** The problem and fix a single refused entry gets. */
function refusal(entry: RegExp): [problem: string, fix: string] {
  const { problems } = OriginPolicy.compile([entry], {}, 'origins');
  expect(problems).toHaveLength(1);
  return [problems[0]!.problem, problems[0]!.fix];
}

/** The policy of the entries a fix names; they must all be accepted. */
function policyOfFix(fix: string): OriginPolicy {
  const suggested = suggestedEntries(fix);
  expect(suggested).toHaveLength(1);
  const { policy, problems } = OriginPolicy.compile(suggested, {}, 'the fix');
  expect(problems).toEqual([]);
  return policy;
}

const UNANCHORED =
  'is not anchored at both ends, so it also matches origins that merely contain a match';

describe('RegExp entries: anchoring an unanchored pattern', () => {
  it('keeps a "$" inside a group: only a trailing "$" is the end anchor', () => {
    const [problem, fix] = refusal(/^https:\/\/a\.com(?:$|:8443)/);
    expect(problem).toBe(UNANCHORED);
    expect(fix).toBe(String.raw`anchor it to whole origins: /^https:\/\/a\.com(?:$|:8443)$/`);
    const policy = policyOfFix(fix);
    expect(allows(policy, 'https://a.com')).toBe(true);
    expect(allows(policy, 'https://a.com:8443')).toBe(true);
    expect(allows(policy, 'https://a.com.evil.example')).toBe(false);
  });

  it('drops a leading ".*" as the subdomains it stood for', () => {
    const [problem, fix] = refusal(/.*example\.com$/);
    expect(problem).toBe(UNANCHORED);
    expect(fix).toBe(
      String.raw`anchor it to whole origins: /^https:\/\/(?:[a-z0-9-]+\.)*example\.com$/`,
    );
    const policy = policyOfFix(fix);
    expect(allows(policy, 'https://example.com')).toBe(true);
    expect(allows(policy, 'https://a.b.example.com')).toBe(true);
    expect(allows(policy, 'https://evil.com/example.com')).toBe(false);
  });

  it('keeps a ".*" that is not leading', () => {
    const [, fix] = refusal(/app.*\.example\.com$/);
    expect(fix).toBe(
      String.raw`anchor it to whole origins: /^https:\/\/(?:[a-z0-9-]+\.)*app.*\.example\.com$/`,
    );
    const policy = policyOfFix(fix);
    expect(allows(policy, 'https://app-1.example.com')).toBe(true);
    expect(allows(policy, 'https://api.example.com')).toBe(false);
  });

  it('suggests nothing when the anchored form is not a valid RegExp', () => {
    // `\.*` becomes "one or more subdomains" followed by a bare `*`: nothing to repeat.
    expect(refusal(/\.*example\.com/)).toEqual([
      UNANCHORED,
      'anchor it with ^ and $ around scheme://host[:port]',
    ]);
  });
});

describe('RegExp entries: refusals with nothing valid to suggest', () => {
  it('a stateful flag, when the pattern without it still cannot be anchored', () => {
    expect(refusal(/\.*example\.com/g)).toEqual([
      'has the "g" flag, which makes matching stateful or line-based',
      'drop the g, y and m flags',
    ]);
  });

  it('a top-level "|" whose grouped form is not a valid RegExp', () => {
    expect(refusal(/^\.*a\.com$|^b\.com$/)).toEqual([
      'has a top-level "|", so its anchors only bind the first and last alternatives',
      'group the alternatives: ^(?:a|b)$',
    ]);
  });
});
