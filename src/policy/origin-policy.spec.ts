import { beforeEach, describe, expect, it } from 'vitest';
import type { OriginDecision } from './origin-decision.js';
import { decideSync, recheckSync } from '../../test/support/decide-sync.js';
import { OriginPolicy } from './origin-policy.js';

function compile(list: unknown, allowMissingOrigin = true): OriginPolicy {
  const { policy, problems } = OriginPolicy.compile(list, { allowMissingOrigin }, 'allowedOrigins');
  expect(problems).toEqual([]);
  return policy;
}

function decideOrigin(policy: OriginPolicy, origin: string): OriginDecision {
  return decideSync(policy, ['Host', 'app.example.com', 'Origin', origin]);
}

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
  it.each([
    ['https://app.example.com', 'https://app.example.com', 'https://app.example.com'],
    ['upper-case scheme and host', 'HTTPS://APP.Example.COM', 'https://app.example.com'],
    ['explicit default port', 'https://app.example.com:443', 'https://app.example.com'],
    ['one subdomain label', 'https://a.example.com', 'https://*.example.com'],
    ['several subdomain labels', 'https://a.b.c.example.com', 'https://*.example.com'],
    ['subdomain label with hyphen and digits', 'https://x-1.example.com', 'https://*.example.com'],
    ['dev server port', 'http://localhost:4200', 'http://localhost:4200'],
    ['IPv6 with port', 'https://[::1]:8443', 'https://[::1]:8443'],
    ['IPv4 with port', 'http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['non-HTTP scheme of a mobile shell', 'capacitor://localhost', 'capacitor://localhost'],
    [
      'browser extension',
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    ],
  ])('%s', (_case, origin, matchedEntry) => {
    expect(decideOrigin(policy, origin)).toEqual({
      allowed: true,
      origin: origin.toLowerCase().replace(':443', ''),
      matchedEntry,
    });
  });
});

/** Each row: an attack class, the header value, the expected reason. */
const bypassAttempts: [string, string, 'malformed' | 'not_allowed'][] = [
  // prefix / suffix confusion
  ['suffix appended to an allowed host', 'https://app.example.com.evil.com', 'not_allowed'],
  ['allowed host as a label prefix', 'https://app.example.comevil.com', 'not_allowed'],
  ['wildcard base without a dot boundary', 'https://evil-example.com', 'not_allowed'],
  ['wildcard base glued to a label', 'https://evilexample.com', 'not_allowed'],
  ['wildcard base behind one character', 'https://xexample.com', 'not_allowed'],
  ['wildcard base itself (apex)', 'https://example.com', 'not_allowed'],
  ['wildcard base as a subdomain of another site', 'https://example.com.evil.com', 'not_allowed'],
  [
    'allowed host as a subdomain of another site',
    'https://app.example.com.attacker.io',
    'not_allowed',
  ],
  // userinfo
  ['userinfo in front of an evil host', 'https://app.example.com@evil.com', 'malformed'],
  ['userinfo with password', 'https://user:pass@app.example.com', 'malformed'],
  ['empty userinfo', 'https://@app.example.com', 'malformed'],
  // scheme and port tricks
  ['scheme downgrade', 'http://app.example.com', 'not_allowed'],
  ['scheme downgrade on a wildcard', 'http://a.example.com', 'not_allowed'],
  ['ws scheme', 'wss://app.example.com', 'not_allowed'],
  ['other port', 'https://app.example.com:8443', 'not_allowed'],
  ['other port on a wildcard', 'https://a.example.com:444', 'not_allowed'],
  ['http default port on https', 'https://app.example.com:80', 'not_allowed'],
  ['missing dev port', 'http://localhost', 'not_allowed'],
  ['leading-zero port', 'https://app.example.com:0443', 'malformed'],
  ['port zero', 'https://app.example.com:0', 'malformed'],
  ['port out of range', 'https://app.example.com:65536', 'malformed'],
  ['empty port', 'https://app.example.com:', 'malformed'],
  ['non-numeric port', 'https://app.example.com:https', 'malformed'],
  ['no scheme', 'app.example.com', 'malformed'],
  ['scheme-relative', '//app.example.com', 'malformed'],
  ['javascript scheme', 'javascript:alert(1)', 'malformed'],
  // trailing dots and empty labels
  ['trailing dot', 'https://app.example.com.', 'malformed'],
  ['trailing dot on a wildcard match', 'https://a.example.com.', 'malformed'],
  ['empty label', 'https://app..example.com', 'malformed'],
  ['leading dot', 'https://.example.com', 'malformed'],
  // IDN and homographs
  ['Cyrillic homograph (raw Unicode)', 'https://аpp.example.com', 'malformed'],
  ['full-width dot', 'https://app\uff0eexample.com', 'malformed'],
  ['ideographic full stop', 'https://a\u3002example.com', 'malformed'],
  ['punycode homograph', 'https://xn--pp-8kc.example.com.evil', 'not_allowed'],
  // encodings
  ['percent-encoded dot', 'https://app%2Eexample.com', 'malformed'],
  ['percent-encoded host', 'https://%61pp.example.com', 'malformed'],
  ['backslash', 'https://evil.com\\app.example.com', 'malformed'],
  ['non-canonical IPv4 (hex)', 'http://0x7f.0.0.1:3000', 'malformed'],
  ['non-canonical IPv4 (short)', 'http://127.1:3000', 'malformed'],
  ['non-canonical IPv4 (octal)', 'http://0177.0.0.1:3000', 'malformed'],
  ['numeric last label', 'http://example.123', 'malformed'],
  ['non-canonical IPv6', 'https://[0:0:0:0:0:0:0:1]:8443', 'malformed'],
  ['IPv4-mapped IPv6 in dotted form', 'https://[::ffff:127.0.0.1]:8443', 'malformed'],
  // paths, queries, fragments
  ['trailing slash', 'https://app.example.com/', 'malformed'],
  ['path', 'https://evil.com/app.example.com', 'malformed'],
  ['query', 'https://evil.com?app.example.com', 'malformed'],
  ['fragment', 'https://evil.com#app.example.com', 'malformed'],
  // whitespace and control characters
  ['leading space', ' https://app.example.com', 'malformed'],
  ['inner space', 'https://app.example.com https://evil.com', 'malformed'],
  ['tab', 'https://app.example.com\t', 'malformed'],
  ['NUL', 'https://app.example.com\u0000.evil.com', 'malformed'],
  ['CR LF', 'https://app.example.com\r\nX: y', 'malformed'],
  ['DEL', 'https://app.example.com\u007f', 'malformed'],
  ['Latin-1 byte', 'https://app.example.com\u00ff', 'malformed'],
  // joined duplicates and lists
  ['comma-joined list', 'https://app.example.com, https://evil.com', 'malformed'],
  ['comma without space', 'https://app.example.com,https://evil.com', 'malformed'],
  // case of the null token and empty values
  ['upper-case NULL', 'NULL', 'malformed'],
  ['empty', '', 'malformed'],
  ['only a scheme', 'https://', 'malformed'],
  // huge values
  ['8 KB value', `https://${'a'.repeat(8 * 1024)}.example.com`, 'malformed'],
  ['label longer than 63', `https://${'a'.repeat(64)}.example.com`, 'malformed'],
  ['host longer than 253', `https://${'abcdefghi.'.repeat(26)}example.com`, 'malformed'],
];

describe('OriginPolicy: bypass attempts are refused', () => {
  it.each(bypassAttempts)('%s: %j', (_class, origin, reason) => {
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

describe('OriginPolicy: header lines', () => {
  it('refuses two Origin lines, even when both are allowed', () => {
    const decision = decideSync(policy, [
      'Origin',
      'https://app.example.com',
      'origin',
      'https://app.example.com',
    ]);
    expect(decision).toEqual({
      allowed: false,
      reason: 'duplicate',
      claimed: 'https://app.example.com, https://app.example.com',
    });
  });

  it('checks Sec-WebSocket-Origin (what ws reads for version 8) and refuses it next to Origin', () => {
    expect(decideSync(policy, ['Sec-WebSocket-Origin', 'https://evil.com'])).toMatchObject({
      allowed: false,
      reason: 'not_allowed',
      claimed: 'https://evil.com',
    });
    expect(decideSync(policy, ['Sec-WebSocket-Origin', 'https://app.example.com'])).toMatchObject({
      allowed: true,
    });
    expect(
      decideSync(policy, [
        'Origin',
        'https://app.example.com',
        'Sec-WebSocket-Origin',
        'https://evil.com',
      ]),
    ).toMatchObject({ allowed: false, reason: 'duplicate' });
  });

  it('treats a missing Origin by allowMissingOrigin', () => {
    expect(decideSync(policy, ['Host', 'x'])).toEqual({
      allowed: true,
      origin: undefined,
      matchedEntry: undefined,
    });
    const strict = compile(['https://app.example.com'], false);
    expect(decideSync(strict, ['Host', 'x'])).toEqual({
      allowed: false,
      reason: 'missing',
      claimed: undefined,
    });
  });

  it("refuses Origin: null unless 'null' is listed", () => {
    expect(decideOrigin(policy, 'null')).toEqual({
      allowed: false,
      reason: 'null',
      claimed: 'null',
    });
    const withNull = compile(['https://app.example.com', 'null']);
    expect(decideOrigin(withNull, 'null')).toEqual({
      allowed: true,
      origin: 'null',
      matchedEntry: 'null',
    });
  });

  it("allows every well-formed origin and null with '*', and still refuses malformed ones", () => {
    const any = compile(['*']);
    expect(any.allowsAnyOrigin).toBe(true);
    expect(decideOrigin(any, 'https://evil.com')).toMatchObject({
      allowed: true,
      matchedEntry: '*',
    });
    expect(decideOrigin(any, 'null')).toMatchObject({ allowed: true, matchedEntry: '*' });
    expect(decideOrigin(any, 'https://a.com@evil.com')).toMatchObject({ reason: 'malformed' });
  });

  it('refuses everything when the list is empty, except a missing Origin when allowed', () => {
    const none = compile([]);
    expect(decideOrigin(none, 'https://app.example.com')).toMatchObject({ reason: 'not_allowed' });
    expect(decideSync(none, [])).toMatchObject({ allowed: true });
  });
});

describe('OriginPolicy: configured entries are normalized like headers', () => {
  it.each([
    ['HTTPS://App.Example.COM', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
    ['http://app.example.com:80', 'http://app.example.com'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['https://*.bücher.example', 'https://shop.xn--bcher-kva.example'],
    ['https://[0:0:0:0:0:0:0:1]', 'https://[::1]'],
  ])('%s allows %s', (entry, origin) => {
    const configured = compile([entry]);
    expect(decideOrigin(configured, origin)).toMatchObject({ allowed: true, matchedEntry: entry });
  });

  it('gives equal fingerprints to lists that decide alike', () => {
    const a = compile(['https://a.com', 'HTTPS://B.com:443', 'https://*.c.com']);
    const b = compile(['https://*.c.com', 'https://b.com', 'https://a.com', 'https://a.com']);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(compile(['https://a.com'], false).fingerprint).not.toBe(
      compile(['https://a.com']).fingerprint,
    );
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

describe('OriginPolicy: what a policy holds', () => {
  it('has predicates only when a function is listed', () => {
    expect(compile(['*', 'null', 'https://a.com', /^https:\/\/b\.com$/]).hasPredicates).toBe(false);
    expect(compile([() => true]).hasPredicates).toBe(true);
    // Without predicates every decision is synchronous, refusals included.
    expect(decideOrigin(compile(['null', 'https://a.com']), 'https://b.com')).toEqual({
      allowed: false,
      reason: 'not_allowed',
      claimed: 'https://b.com',
    });
  });

  it('holds no entries when the list is not an array', () => {
    expect(OriginPolicy.compile('https://a.com', {}, 'allowedOrigins').policy.entries).toEqual([]);
  });

  it('tells predicates, RegExps and the special entries apart in fingerprints', () => {
    const yes = () => true;
    const no = () => false;
    const fingerprint = (list: unknown[]) => compile(list).fingerprint;
    expect(fingerprint([yes])).toBe(fingerprint([yes]));
    expect(fingerprint([yes])).not.toBe(fingerprint([no]));
    expect(fingerprint(['null'])).not.toBe(fingerprint([]));
    expect(fingerprint(['*'])).not.toBe(fingerprint(['null']));
    expect(fingerprint([/^https:\/\/a\.com$/])).not.toBe(fingerprint([/^https:\/\/b\.com$/]));
    expect(fingerprint(['http://localhost:*'])).not.toBe(fingerprint(['http://localhost']));
  });
});

describe('OriginPolicy: listed twice', () => {
  it('names the first entry that lists an origin', () => {
    expect(
      decideOrigin(compile(['https://a.example', 'HTTPS://A.example:443']), 'https://a.example'),
    ).toMatchObject({ matchedEntry: 'https://a.example' });
  });
});
