import { describe, expect, it } from 'vitest';
import { compileClean as compile, decideOrigin } from '../../test/support/decide-sync.js';
import { OriginPolicy } from './origin-policy.js';

// What compiling a list makes of it: normalized entries, fingerprints, predicates. The
// decisions on headers are in origin-policy.spec.ts.

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
