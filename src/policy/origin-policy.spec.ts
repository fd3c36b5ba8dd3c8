import { beforeEach, describe, expect, it } from 'vitest';
import {
  compileClean as compile,
  decideOrigin,
  decideSync,
  recheckSync,
} from '../../test/support/decide-sync.js';
import { OriginPolicy } from './origin-policy.js';

let policy: OriginPolicy;
beforeEach(() => {
  policy = compile([
    'https://app.example.com',
    'https://*.example.com',
    'http://localhost:4200',
    'https://[::1]:8443',
    'http://127.0.0.1:3000',
    'capacitor://localhost',
    'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
  ]);
});

describe('OriginPolicy: allowed origins', () => {
  /** Each case: the origin sent and the entry that allows it. */
  const allowed: Record<string, [origin: string, matchedEntry: string]> = {
    'https://app.example.com': ['https://app.example.com', 'https://app.example.com'],
    'upper-case scheme and host': ['HTTPS://APP.Example.COM', 'https://app.example.com'],
    'explicit default port': ['https://app.example.com:443', 'https://app.example.com'],
    'one subdomain label': ['https://a.example.com', 'https://*.example.com'],
    'several subdomain labels': ['https://a.b.c.example.com', 'https://*.example.com'],
    'subdomain label with hyphen and digits': ['https://x-1.example.com', 'https://*.example.com'],
    'dev server port': ['http://localhost:4200', 'http://localhost:4200'],
    'IPv6 with port': ['https://[::1]:8443', 'https://[::1]:8443'],
    'IPv4 with port': ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    'non-HTTP scheme of a mobile shell': ['capacitor://localhost', 'capacitor://localhost'],
    'browser extension': [
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    ],
  };
  it.each(Object.entries(allowed).map(([what, [origin, entry]]) => [what, origin, entry]))(
    '%s',
    (_case, origin, matchedEntry) => {
      expect(decideOrigin(policy, origin)).toEqual({
        allowed: true,
        origin: origin.toLowerCase().replace(':443', ''),
        matchedEntry,
      });
    },
  );
});

/** Each bypass class, by what it tries: the origin sent and the refusal it must get. */
const bypassAttempts: Record<string, [origin: string, reason: 'malformed' | 'not_allowed']> = {
  // prefix / suffix confusion
  'suffix appended to an allowed host': ['https://app.example.com.evil.com', 'not_allowed'],
  'allowed host as a label prefix': ['https://app.example.comevil.com', 'not_allowed'],
  'wildcard base without a dot boundary': ['https://evil-example.com', 'not_allowed'],
  'wildcard base glued to a label': ['https://evilexample.com', 'not_allowed'],
  'wildcard base behind one character': ['https://xexample.com', 'not_allowed'],
  'wildcard base itself (apex)': ['https://example.com', 'not_allowed'],
  'wildcard base as a subdomain of another site': ['https://example.com.evil.com', 'not_allowed'],
  'allowed host as a subdomain of another site': [
    'https://app.example.com.attacker.io',
    'not_allowed',
  ],
  // userinfo
  'userinfo in front of an evil host': ['https://app.example.com@evil.com', 'malformed'],
  'userinfo with password': ['https://user:pass@app.example.com', 'malformed'],
  'empty userinfo': ['https://@app.example.com', 'malformed'],
  // scheme and port tricks
  'scheme downgrade': ['http://app.example.com', 'not_allowed'],
  'scheme downgrade on a wildcard': ['http://a.example.com', 'not_allowed'],
  'ws scheme': ['wss://app.example.com', 'not_allowed'],
  'other port': ['https://app.example.com:8443', 'not_allowed'],
  'other port on a wildcard': ['https://a.example.com:444', 'not_allowed'],
  'http default port on https': ['https://app.example.com:80', 'not_allowed'],
  'missing dev port': ['http://localhost', 'not_allowed'],
  'leading-zero port': ['https://app.example.com:0443', 'malformed'],
  'port zero': ['https://app.example.com:0', 'malformed'],
  'port out of range': ['https://app.example.com:65536', 'malformed'],
  'empty port': ['https://app.example.com:', 'malformed'],
  'non-numeric port': ['https://app.example.com:https', 'malformed'],
  'no scheme': ['app.example.com', 'malformed'],
  'scheme-relative': ['//app.example.com', 'malformed'],
  'javascript scheme': ['javascript:alert(1)', 'malformed'],
  // trailing dots and empty labels
  'trailing dot': ['https://app.example.com.', 'malformed'],
  'trailing dot on a wildcard match': ['https://a.example.com.', 'malformed'],
  'empty label': ['https://app..example.com', 'malformed'],
  'leading dot': ['https://.example.com', 'malformed'],
  // IDN and homographs
  'Cyrillic homograph (raw Unicode)': ['https://аpp.example.com', 'malformed'],
  'full-width dot': ['https://app\uff0eexample.com', 'malformed'],
  'ideographic full stop': ['https://a\u3002example.com', 'malformed'],
  'punycode homograph': ['https://xn--pp-8kc.example.com.evil', 'not_allowed'],
  // encodings
  'percent-encoded dot': ['https://app%2Eexample.com', 'malformed'],
  'percent-encoded host': ['https://%61pp.example.com', 'malformed'],
  backslash: ['https://evil.com\\app.example.com', 'malformed'],
  'non-canonical IPv4 (hex)': ['http://0x7f.0.0.1:3000', 'malformed'],
  'non-canonical IPv4 (short)': ['http://127.1:3000', 'malformed'],
  'non-canonical IPv4 (octal)': ['http://0177.0.0.1:3000', 'malformed'],
  'numeric last label': ['http://example.123', 'malformed'],
  'non-canonical IPv6': ['https://[0:0:0:0:0:0:0:1]:8443', 'malformed'],
  'IPv4-mapped IPv6 in dotted form': ['https://[::ffff:127.0.0.1]:8443', 'malformed'],
  // paths, queries, fragments
  'trailing slash': ['https://app.example.com/', 'malformed'],
  path: ['https://evil.com/app.example.com', 'malformed'],
  query: ['https://evil.com?app.example.com', 'malformed'],
  fragment: ['https://evil.com#app.example.com', 'malformed'],
  // whitespace and control characters
  'leading space': [' https://app.example.com', 'malformed'],
  'inner space': ['https://app.example.com https://evil.com', 'malformed'],
  tab: ['https://app.example.com\t', 'malformed'],
  NUL: ['https://app.example.com\u0000.evil.com', 'malformed'],
  'CR LF': ['https://app.example.com\r\nX: y', 'malformed'],
  DEL: ['https://app.example.com\u007f', 'malformed'],
  'Latin-1 byte': ['https://app.example.com\u00ff', 'malformed'],
  // joined duplicates and lists
  'comma-joined list': ['https://app.example.com, https://evil.com', 'malformed'],
  'comma without space': ['https://app.example.com,https://evil.com', 'malformed'],
  // case of the null token and empty values
  'upper-case NULL': ['NULL', 'malformed'],
  empty: ['', 'malformed'],
  'only a scheme': ['https://', 'malformed'],
  // huge values
  '8 KB value': [`https://${'a'.repeat(8 * 1024)}.example.com`, 'malformed'],
  'label longer than 63': [`https://${'a'.repeat(64)}.example.com`, 'malformed'],
  'host longer than 253': [`https://${'abcdefghi.'.repeat(26)}example.com`, 'malformed'],
};

describe('OriginPolicy: bypass attempts are refused', () => {
  it.each(
    Object.entries(bypassAttempts).map(
      ([what, [origin, reason]]) => [what, origin, reason] as const,
    ),
  )('%s: %j', (_class, origin, reason) => {
    const decision = decideOrigin(policy, origin);
    expect(decision.allowed).toBe(false);
    expect(decision).toMatchObject({ reason, claimed: origin });
  });

  it('explains a malformed value', () => {
    expect(decideOrigin(policy, 'https://a.com@evil.com')).toEqual({
      allowed: false,
      reason: 'malformed',
      claimed: 'https://a.com@evil.com',
      detail: 'contains userinfo (user@)',
    });
    expect(decideOrigin(policy, 'https://app.example.com/')).toMatchObject({
      detail: 'has a path (even a trailing slash)',
    });
    expect(decideOrigin(policy, 'https://app.example.com:0443')).toMatchObject({
      detail: 'has port "0443", which is not a number from 1 to 65535 without leading zeros',
    });
  });
});

describe('OriginPolicy: the guard re-check of a recorded origin', () => {
  it('allows exactly what the handshake decision allowed', () => {
    expect(recheckSync(policy, 'https://a.example.com')).toBe(true);
    expect(recheckSync(policy, 'https://evil.com')).toBe(false);
    expect(recheckSync(policy, 'null')).toBe(false);
    expect(recheckSync(policy, undefined)).toBe(true);
    expect(recheckSync(compile([], false), undefined)).toBe(false);
  });
});

describe('OriginPolicy: the decision cache', () => {
  it('serves a repeated value from the cache, for policies that depend on the value alone', () => {
    const first = decideOrigin(policy, 'https://a.example.com');
    decideOrigin(policy, 'https://b.example.com');
    expect(decideOrigin(policy, 'https://a.example.com')).toBe(first);
  });

  it('holds at most 256 values, then starts over', () => {
    const first = decideOrigin(policy, 'https://v0.example.com');
    for (let i = 1; i < 256; i++) decideOrigin(policy, `https://v${i}.example.com`);
    expect(decideOrigin(policy, 'https://v0.example.com')).toBe(first);
    decideOrigin(policy, 'https://v256.example.com');
    const again = decideOrigin(policy, 'https://v0.example.com');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('is not used with the same-origin rule, whose decision depends on the Host', () => {
    const { policy: sameOrigin } = OriginPolicy.compile(
      [],
      { sameOrigin: { hosts: 'any' } },
      'allowedOrigins',
    );
    const own = decideSync(sameOrigin, ['Host', 'a.example', 'Origin', 'http://a.example']);
    expect(own).toMatchObject({ allowed: true, matchedEntry: 'sameOrigin' });
    expect(
      decideSync(sameOrigin, ['Host', 'b.example', 'Origin', 'http://a.example']),
    ).toMatchObject({ allowed: false, reason: 'not_allowed' });
  });
});
