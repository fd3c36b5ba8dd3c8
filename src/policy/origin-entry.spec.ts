import { describe, expect, it } from 'vitest';
import { compileOriginEntry } from './origin-entry.js';

describe('compileOriginEntry: what an entry compiles to', () => {
  it('compiles the special entries', () => {
    expect(compileOriginEntry('*')).toEqual({ kind: 'any', source: '*' });
    expect(compileOriginEntry('null')).toEqual({ kind: 'null', source: 'null' });
  });

  it.each([
    [
      'https://example.com:[8443, 9443]',
      'exact',
      ['https://example.com:8443', 'https://example.com:9443'],
      false,
    ],
    ['https://example.com:[443]', 'exact', ['https://example.com'], false],
    [
      'https://*.example.com:[8443,9443]',
      'subdomains',
      ['https://example.com:8443', 'https://example.com:9443'],
      false,
    ],
    ['http://localhost:*', 'exact', ['http://localhost'], true],
    ['https://*.example.v2', 'subdomains', ['https://example.v2'], false],
    ['https://*.1example.com', 'subdomains', ['https://1example.com'], false],
    ['https://bücher.example:8443', 'exact', ['https://xn--bcher-kva.example:8443'], false],
    ['https://*.bücher.example', 'subdomains', ['https://xn--bcher-kva.example'], false],
    ['https://[0:0::1]:8443', 'exact', ['https://[::1]:8443'], false],
  ])('%s', (entry, kind, keys, anyPort) => {
    expect(compileOriginEntry(entry)).toEqual({ kind, keys, anyPort, source: entry });
  });

  it('names a predicate by its function name, or not at all', () => {
    const tenants = (origin: string) => origin.length > 0;
    expect(compileOriginEntry(tenants)).toEqual({
      kind: 'predicate',
      predicate: tenants,
      source: '[function tenants]',
    });
    expect(compileOriginEntry(() => true)).toMatchObject({ source: '[function]' });
  });

  it.each([
    /^https:\/\/a\|b\.com$/,
    /^https:\/\/[a|b]\.com$/,
    /^https:\/\/(?:a|b)\.com$/,
    /^https:\/\/[\]|]\.com$/,
  ])('accepts %s: its "|" is escaped, in a class or in a group', (pattern) => {
    expect(compileOriginEntry(pattern)).toEqual({
      kind: 'regexp',
      pattern,
      source: pattern.toString(),
    });
  });
});

describe('compileOriginEntry: what it refuses, and how to fix it', () => {
  it.each([
    [
      'ws://app.example.com',
      'uses the "ws" scheme, which no browser sends as an Origin',
      "list the origin of the web page instead: 'http://app.example.com'",
    ],
    [
      'WSS://app.example.com',
      'uses the "wss" scheme, which no browser sends as an Origin',
      "list the origin of the web page instead: 'https://app.example.com'",
    ],
    [
      'http://[::1]:3000:*',
      'has both the port 3000 and ":*"',
      "keep one: 'http://[::1]:*' for any port, or 'http://[::1]:3000' for that port",
    ],
    [
      'https://example.com:[8443x]',
      'has a port list "[8443x]" that is not comma-separated port numbers',
      "write it as 'https://example.com:[8443,9443]', or ':*' for any port",
    ],
    [
      'https://example.com:[]',
      'has a port list "[]" that is not comma-separated port numbers',
      "write it as 'https://example.com:[8443,9443]', or ':*' for any port",
    ],
    [
      'https://*.[::1]',
      'puts a wildcard in front of an IP address',
      'list each address as an exact origin',
    ],
    [
      'HTTP://*.com',
      'would match every subdomain of the top-level domain "com"',
      "narrow it to a domain you control, e.g. 'http://*.example.com'",
    ],
    ['//example.com', 'has no scheme', "write the full origin, e.g. 'https://example.com'"],
    [
      '1https://[::1]',
      'has an invalid scheme',
      "write it as scheme://host[:port], e.g. 'https://app.example.com'",
    ],
    [
      'https://[1::2::3]',
      'has an invalid IPv6 address',
      "write it as scheme://host[:port], e.g. 'https://app.example.com'",
    ],
    [
      '1https://bücher.example',
      'contains a non-ASCII character (hosts must be sent in punycode)',
      "write it as scheme://host[:port], e.g. 'https://app.example.com'",
    ],
    [
      'bücher.example',
      'contains a non-ASCII character (hosts must be sent in punycode)',
      "write it as scheme://host[:port], e.g. 'https://app.example.com'",
    ],
    [
      'https://xn--iñvalid.example',
      'contains a non-ASCII character (hosts must be sent in punycode)',
      "write it as scheme://host[:port], e.g. 'https://app.example.com'",
    ],
    [
      'https://*.example.com/app?x=1',
      'has a path (even a trailing slash)',
      "an origin has no path: write 'https://*.example.com'",
    ],
    [
      'https://*.example.com#top',
      'has a query or fragment',
      "remove it: write 'https://*.example.com'",
    ],
    [
      [],
      'is an array, not a string, RegExp or function',
      "write each origin as a string such as 'https://app.example.com'",
    ],
    [
      {},
      'is an object, not a string, RegExp or function',
      "write each origin as a string such as 'https://app.example.com'",
    ],
    [
      true,
      'is a boolean, not a string, RegExp or function',
      "write each origin as a string such as 'https://app.example.com'",
    ],
    [
      /^https:\/\/a\.com$/gi,
      'has the "g" flag, which makes matching stateful or line-based',
      'drop it: /^https:\\/\\/a\\.com$/i',
    ],
    [
      /^https:\/\/a\.com$/my,
      'has the "my" flag, which makes matching stateful or line-based',
      'drop it: /^https:\\/\\/a\\.com$/',
    ],
    [
      /^https:\/\/a\.com/,
      'is not anchored at both ends, so it also matches origins that merely contain a match',
      'anchor it: /^https:\\/\\/a\\.com$/',
    ],
    [
      /https:\/\/a\.com$/i,
      'is not anchored at both ends, so it also matches origins that merely contain a match',
      'anchor it: /^https:\\/\\/a\\.com$/i',
    ],
    [
      /https:\/\/[^.]+\.com$/,
      'is not anchored at both ends, so it also matches origins that merely contain a match',
      'anchor it: /^https:\\/\\/[^.]+\\.com$/',
    ],
    [
      /a$b/,
      'is not anchored at both ends, so it also matches origins that merely contain a match',
      'anchor it: /^a$b$/',
    ],
    [
      /^https:\/\/a\.com\$/,
      'is not anchored at both ends, so it also matches origins that merely contain a match',
      'anchor it: /^https:\\/\\/a\\.com\\$$/',
    ],
    [
      /^[a]b|c$/,
      'has a top-level "|", so its anchors only bind the first and last alternatives',
      'group the alternatives: /^(?:[a]b|c)$/',
    ],
    [
      /^(a)b|c$/,
      'has a top-level "|", so its anchors only bind the first and last alternatives',
      'group the alternatives: /^(?:(a)b|c)$/',
    ],
  ])('%s', (entry, problem, fix) => {
    expect(compileOriginEntry(entry)).toEqual({ problem, fix });
  });
});
