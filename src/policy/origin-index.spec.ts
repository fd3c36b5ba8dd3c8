import { describe, expect, it } from 'vitest';
import { OriginIndex } from './origin-index.js';
import { isOriginSyntaxError, parseSerializedOrigin } from './serialized-origin.js';
import { compileStringEntry } from './string-entry.js';

function index(entries: string[]): OriginIndex {
  return new OriginIndex(
    entries.map((entry) => {
      const compiled = compileStringEntry(entry);
      if (!('kind' in compiled)) throw new Error(`${entry}: ${compiled.problem}`);
      return compiled;
    }),
  );
}

function match(on: OriginIndex, origin: string): string | undefined {
  const parsed = parseSerializedOrigin(origin);
  if (isOriginSyntaxError(parsed)) throw new Error(`${origin}: ${parsed.error}`);
  return on.match(parsed);
}

// The index looks up only parent domains with as many labels as some wildcard's domain: each
// case below needs a look-up at a depth other than the shallowest or the deepest one.
describe('OriginIndex: wildcards of several depths', () => {
  const on = index([
    'https://*.example.com',
    'https://*.eu.tenant.example.net',
    'https://*.shop.example.org:8443',
    'http://*.dev.example.io:*',
  ]);

  it.each([
    ['https://a.example.com', 'https://*.example.com'],
    ['https://a.b.c.d.example.com', 'https://*.example.com'],
    ['https://x.eu.tenant.example.net', 'https://*.eu.tenant.example.net'],
    ['https://y.x.eu.tenant.example.net', 'https://*.eu.tenant.example.net'],
    ['https://a.shop.example.org:8443', 'https://*.shop.example.org:8443'],
    ['http://a.b.dev.example.io:3000', 'http://*.dev.example.io:*'],
    ['http://a.dev.example.io', 'http://*.dev.example.io:*'],
  ])('%s matches %s', (origin, entry) => {
    expect(match(on, origin)).toBe(entry);
  });

  it.each([
    'https://example.com',
    'https://tenant.example.net',
    'https://eu.tenant.example.net',
    'https://a.tenant.example.net',
    'https://a.shop.example.org',
    'https://a.shop.example.org:9443',
    'http://dev.example.io:3000',
    'https://a.dev.example.io',
    'https://a.example.com.evil.org',
  ])('%s matches nothing', (origin) => {
    expect(match(on, origin)).toBeUndefined();
  });
});

describe('OriginIndex: exact entries', () => {
  it('finds an exact origin and an any-port one, with or without wildcards beside them', () => {
    for (const extra of [[], ['https://*.example.com']]) {
      const on = index(['https://app.example.org', 'http://localhost:*', ...extra]);
      expect(match(on, 'https://app.example.org')).toBe('https://app.example.org');
      expect(match(on, 'http://localhost:5173')).toBe('http://localhost:*');
      expect(match(on, 'https://other.example.org')).toBeUndefined();
    }
  });
});
