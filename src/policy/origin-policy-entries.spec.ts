import { beforeEach, describe, expect, it } from 'vitest';
import type { OriginDecision } from './origin-decision.js';
import { OriginPolicy } from './origin-policy.js';

function compile(list: unknown[]): OriginPolicy {
  const { policy, problems } = OriginPolicy.compile(list, {}, 'allowedOrigins');
  expect(problems).toEqual([]);
  return policy;
}

function decide(policy: OriginPolicy, origin: string): OriginDecision {
  const decision = policy.evaluate({ rawHeaders: ['Origin', origin] }, { gateways: [] });
  if (decision instanceof Promise) throw new Error('unexpectedly asynchronous');
  return decision;
}

describe('port forms', () => {
  let policy: OriginPolicy;
  beforeEach(() => {
    policy = compile([
      'http://localhost:*',
      'https://example.com:[8443,9443]',
      'https://*.example.org:*',
      'https://api.example.net:[443,8443]',
    ]);
  });

  it.each([
    ['http://localhost', 'http://localhost:*'],
    ['http://localhost:3000', 'http://localhost:*'],
    ['http://localhost:65535', 'http://localhost:*'],
    ['https://example.com:8443', 'https://example.com:[8443,9443]'],
    ['https://example.com:9443', 'https://example.com:[8443,9443]'],
    ['https://a.example.org', 'https://*.example.org:*'],
    ['https://a.b.example.org:4443', 'https://*.example.org:*'],
    ['https://api.example.net', 'https://api.example.net:[443,8443]'],
    ['https://api.example.net:443', 'https://api.example.net:[443,8443]'],
  ])('%s is allowed by %s', (origin, entry) => {
    expect(decide(policy, origin)).toMatchObject({ allowed: true, matchedEntry: entry });
  });

  it.each([
    ['any-port entry keeps its scheme', 'https://localhost:3000'],
    ['any-port entry keeps its host', 'http://localhost.evil.com:3000'],
    ['any-port entry is not a wildcard', 'http://a.localhost:3000'],
    ['unlisted port', 'https://example.com:8080'],
    ['listed ports exclude the default', 'https://example.com'],
    ['wildcard any-port still excludes the apex', 'https://example.org:4443'],
    ['wildcard any-port keeps its scheme', 'http://a.example.org'],
  ])('%s: %s is refused', (_case, origin) => {
    expect(decide(policy, origin)).toMatchObject({ allowed: false, reason: 'not_allowed' });
  });
});

describe('RegExp entries', () => {
  let policy: OriginPolicy;
  beforeEach(() => {
    policy = compile([
      /^https:\/\/pr-\d+\.preview\.example\.com$/,
      /^https:\/\/(?:a|b)\.example\.io$/i,
    ]);
  });

  it('test the normalized origin', () => {
    expect(decide(policy, 'https://pr-42.preview.example.com')).toMatchObject({
      allowed: true,
      matchedEntry: '/^https:\\/\\/pr-\\d+\\.preview\\.example\\.com$/',
    });
    // the header is upper case and carries the default port; the pattern sees the normalized form
    expect(decide(policy, 'HTTPS://PR-7.PREVIEW.EXAMPLE.COM:443')).toMatchObject({ allowed: true });
    expect(decide(policy, 'https://b.example.io')).toMatchObject({ allowed: true });
  });

  it.each([
    ['suffix after an anchored match', 'https://pr-1.preview.example.com.evil.com'],
    ['prefix before an anchored match', 'https://evil.pr-1.preview.example.com'],
    [
      'unescaped-dot look-alike is impossible when dots are escaped',
      'https://pr-1Xpreview.example.com',
    ],
    ['port appended', 'https://pr-1.preview.example.com:8443'],
  ])('%s: %s is refused', (_case, origin) => {
    expect(decide(policy, origin)).toMatchObject({ allowed: false, reason: 'not_allowed' });
  });

  it('never sees a malformed value, which is refused before any pattern runs', () => {
    const permissive = compile([/^.*$/]);
    expect(decide(permissive, 'https://a.com@evil.com')).toMatchObject({ reason: 'malformed' });
    expect(decide(permissive, 'https://evil.com/')).toMatchObject({ reason: 'malformed' });
    expect(decide(permissive, 'null')).toMatchObject({ reason: 'null' });
    expect(decide(permissive, 'https://anything.example')).toMatchObject({ allowed: true });
  });

  it('shows the classic unescaped-dot mistake is caught only by anchoring, not by us', () => {
    // Anchored but with an unescaped dot: matches what the author wrote, including look-alikes.
    const sloppy = compile([/^https:\/\/app.example.com$/]);
    expect(decide(sloppy, 'https://appXexample.com')).toMatchObject({ allowed: true });
  });
});

describe('non-HTTP schemes used by real apps', () => {
  const appOrigins = [
    'capacitor://localhost',
    'ionic://localhost',
    'app://my-desktop-app',
    'tauri://localhost',
    'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    'moz-extension://0b3ed7c8-1f2a-4c5d-9e8f-abcdef012345',
  ];
  let policy: OriginPolicy;
  beforeEach(() => {
    policy = compile(appOrigins);
  });

  it.each(appOrigins)('%s is allowed', (origin) => {
    expect(decide(policy, origin)).toMatchObject({ allowed: true, matchedEntry: origin });
  });

  it.each([
    'http://localhost',
    'capacitor://localhost:8080',
    'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba',
    'file://',
  ])('%s is refused', (origin) => {
    expect(decide(policy, origin).allowed).toBe(false);
  });
});

describe('pasted URLs', () => {
  it('accept a single trailing slash on configured entries, as the origin', () => {
    const policy = compile([
      'https://app.example.com/',
      'http://localhost:*/',
      'https://*.example.org/',
      'https://example.net:[8443,9443]/',
    ]);
    for (const [origin, entry] of [
      ['https://app.example.com', 'https://app.example.com/'],
      ['http://localhost:3000', 'http://localhost:*/'],
      ['https://a.example.org', 'https://*.example.org/'],
      ['https://example.net:9443', 'https://example.net:[8443,9443]/'],
    ] as const) {
      expect(decide(policy, origin)).toMatchObject({ allowed: true, matchedEntry: entry });
    }
  });

  it('still refuse an Origin header with a trailing slash: browsers never send one', () => {
    const policy = compile(['https://app.example.com/']);
    expect(decide(policy, 'https://app.example.com/')).toMatchObject({
      allowed: false,
      reason: 'malformed',
      detail: 'has a path (even a trailing slash)',
    });
  });

  it('refuse two slashes, or a path before the slash', () => {
    const { problems } = OriginPolicy.compile(
      ['https://app.example.com//', 'https://app.example.com/chat/'],
      {},
      'allowedOrigins',
    );
    expect(problems.map((p) => p.at)).toEqual(['allowedOrigins[0]', 'allowedOrigins[1]']);
  });
});
