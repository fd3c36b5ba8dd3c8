import { describe, expect, it } from 'vitest';
import { allows, suggestedEntries } from '../../test/support/entry-fixes.js';
import { OriginPolicy } from './origin-policy.js';

/** The problem and fix a single refused entry gets. */
function refusal(entry: string): [problem: string, fix: string] {
  const { problems } = OriginPolicy.compile([entry], {}, 'origins');
  expect(problems).toHaveLength(1);
  return [problems[0]!.problem, problems[0]!.fix];
}

/** The policy of the entries a fix names; they must all be accepted. */
function policyOfFix(fix: string): OriginPolicy {
  const { policy, problems } = OriginPolicy.compile(suggestedEntries(fix), {}, 'the fix');
  expect(problems).toEqual([]);
  return policy;
}

describe('string entries: a port and ":*" together', () => {
  it('offers both readings of an IPv6 origin, each allowing what it says', () => {
    const [problem, fix] = refusal('https://[::1]:8443:*');
    expect(problem).toBe('has both the port 8443 and ":*"');
    expect(fix).toBe(
      "keep one: 'https://[::1]:*' for any port, or 'https://[::1]:8443' for that port",
    );
    const policy = policyOfFix(fix);
    expect(allows(policy, 'https://[::1]:9000')).toBe(true);
    expect(allows(policy, 'https://[::1]')).toBe(true);
    expect(allows(policy, 'https://[::2]:8443')).toBe(false);
  });

  it('keeps the wildcard in both readings of a wildcard origin', () => {
    const [problem, fix] = refusal('https://*.example.com:8443:*');
    expect(problem).toBe('has both the port 8443 and ":*"');
    expect(fix).toBe(
      "keep one: 'https://*.example.com:*' for any port, or 'https://*.example.com:8443' for that port",
    );
    const policy = policyOfFix(fix);
    expect(allows(policy, 'https://eu.example.com:9000')).toBe(true);
    expect(allows(policy, 'https://eu.example.com:8443')).toBe(true);
    expect(allows(policy, 'https://example.com:8443')).toBe(false);
  });

  it('says what is wrong when neither reading of a wildcard is allowed', () => {
    expect(refusal('https://*.com:8443:*')).toEqual([
      'has both the port 8443 and ":*"',
      'keep either the port or ":*"',
    ]);
  });
});

describe('string entries: port lists that are not comma-separated numbers', () => {
  it('rewrites a single mistyped port as that port', () => {
    expect(refusal('https://example.com:[8443;]')).toEqual([
      'has a port list "[8443;]" that is not comma-separated port numbers',
      "write only port numbers, separated by commas: 'https://example.com:8443'",
    ]);
  });

  it('rewrites several ports with other separators as a comma-separated list', () => {
    const [problem, fix] = refusal('https://example.com:[8443;9443]');
    expect(problem).toBe('has a port list "[8443;9443]" that is not comma-separated port numbers');
    expect(fix).toBe(
      "write only port numbers, separated by commas: 'https://example.com:[8443,9443]'",
    );
    const policy = policyOfFix(fix);
    expect(allows(policy, 'https://example.com:8443')).toBe(true);
    expect(allows(policy, 'https://example.com:9443')).toBe(true);
    expect(allows(policy, 'https://example.com')).toBe(false);
  });

  it.each(['[8000-8010]', '[8000-8010,9000]', '[abc]'])(
    'suggests nothing for %s: a range or no number at all has no list form',
    (list) => {
      expect(refusal(`https://example.com:${list}`)).toEqual([
        `has a port list "${list}" that is not comma-separated port numbers`,
        'list each port, separated by commas (ranges are not supported), or write ":*" for any port',
      ]);
    },
  );
});

describe('string entries: WebSocket schemes', () => {
  it('suggests the page origin, with the port list kept', () => {
    const [problem, fix] = refusal('wss://example.com:[443,8443]');
    expect(problem).toBe('uses the "wss" scheme, which no browser sends as an Origin');
    expect(fix).toBe("list the origin of the web page instead: 'https://example.com:[443,8443]'");
    const policy = policyOfFix(fix);
    expect(allows(policy, 'https://example.com')).toBe(true);
    expect(allows(policy, 'https://example.com:8443')).toBe(true);
    expect(allows(policy, 'wss://example.com')).toBe(false);
  });

  it('names no entry when the page origin would be refused too', () => {
    // `http://*.com` would match every subdomain of a top-level domain.
    expect(refusal('ws://*.com')).toEqual([
      'uses the "ws" scheme, which no browser sends as an Origin',
      'list the origin of the web page instead (http:// or https://)',
    ]);
  });
});

describe('string entries: a "*" that is not a leading-label wildcard', () => {
  const noWildcardForm =
    'a "*" can only stand for the leading labels of a host ("*." before a domain); use a RegExp for other shapes';

  it.each([
    ['https://*example.com', 'https://*.example.com'],
    ['https://*.*.example.com', 'https://*.example.com'],
    ['https://*app.example.com:8443', 'https://*.app.example.com:8443'],
  ])('%s becomes %s', (entry, suggested) => {
    expect(refusal(entry)).toEqual([
      'has a "*" that does not stand for whole leading DNS labels',
      `write the subdomain wildcard as '${suggested}' (list the domain itself separately)`,
    ]);
  });

  it.each([
    // `*` followed by a character that cannot start the domain it would leave.
    'https://*-app.example.com',
    // A `*` after a fixed label.
    'https://app.*.example.com',
    // More `*`s in the first label.
    'https://*a*b.example.com',
    // Nothing but `*`s: no domain is left.
    'https://*',
    'https://*.*',
  ])('%s has no wildcard form', (entry) => {
    expect(refusal(entry)).toEqual([
      'has a "*" that does not stand for whole leading DNS labels',
      noWildcardForm,
    ]);
  });
});

describe('string entries: what a compiled wildcard allows', () => {
  it('allows subdomains on the listed ports only, never the domain itself', () => {
    const { policy, problems } = OriginPolicy.compile(
      ['https://*.example.com:[8443,9443]'],
      {},
      'origins',
    );
    expect(problems).toEqual([]);
    expect(allows(policy, 'https://app.example.com:8443')).toBe(true);
    expect(allows(policy, 'https://a.b.example.com:9443')).toBe(true);
    expect(allows(policy, 'https://app.example.com')).toBe(false);
    expect(allows(policy, 'https://example.com:8443')).toBe(false);
    expect(allows(policy, 'https://app.example.com:10443')).toBe(false);
  });
});
