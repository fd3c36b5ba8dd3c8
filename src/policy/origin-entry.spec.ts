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

describe('compileOriginEntry: what it refuses', () => {
  it.each([
    ['1https://*.example.com', 'has an invalid scheme'],
    ['https://a.example:*x', 'has a "*" that does not stand for whole leading DNS labels'],
    ['https://a.example:[1]x', 'is not of the form scheme://host[:port]'],
    [
      'https://example.com:[x8443]',
      'has a port list "[x8443]" that is not comma-separated port numbers',
    ],
    ['https://a%41.example', 'contains a percent-escape'],
    ['ws://app.example.com', 'uses the "ws" scheme, which no browser sends as an Origin'],
    ['WSS://app.example.com', 'uses the "wss" scheme, which no browser sends as an Origin'],
    ['http://[::1]:3000:*', 'has both the port 3000 and ":*"'],
    [
      'https://example.com:[8443x]',
      'has a port list "[8443x]" that is not comma-separated port numbers',
    ],
    ['https://example.com:[]', 'has a port list "[]" that is not comma-separated port numbers'],
    ['https://*.[::1]', 'puts a wildcard in front of an IP address'],
    ['HTTP://*.com', 'would match every subdomain of the top-level domain "com"'],
    ['1https://[::1]', 'has an invalid scheme'],
    ['https://[1::2::3]', 'has an invalid IPv6 address'],
    ['1https://bücher.example', 'contains a non-ASCII character (hosts must be sent in punycode)'],
    ['bücher.example', 'contains a non-ASCII character (hosts must be sent in punycode)'],
    [
      'https://xn--iñvalid.example',
      'contains a non-ASCII character (hosts must be sent in punycode)',
    ],
    ['https://*.example.com/app?x=1', 'has a path'],
    ['https://*.example.com#top', 'has a query or fragment'],
    [[], 'is an array, not a string, RegExp or function'],
    [{}, 'is an object, not a string, RegExp or function'],
    [true, 'is a boolean, not a string, RegExp or function'],
    [/^https:\/\/a\.com$/gi, 'has the "g" flag, which makes matching stateful or line-based'],
    [/^https:\/\/a\.com$/my, 'has the "my" flag, which makes matching stateful or line-based'],
    [
      /^https:\/\/a\.com/,
      'is not anchored at both ends, so it also matches origins that merely contain a match',
    ],
    [
      /https:\/\/a\.com$/i,
      'is not anchored at both ends, so it also matches origins that merely contain a match',
    ],
    [
      /https:\/\/[^.]+\.com$/,
      'is not anchored at both ends, so it also matches origins that merely contain a match',
    ],
    [/a$b/, 'is not anchored at both ends, so it also matches origins that merely contain a match'],
    [
      /^https:\/\/a\.com\$/,
      'is not anchored at both ends, so it also matches origins that merely contain a match',
    ],
    [/^[a]b|c$/, 'has a top-level "|", so its anchors only bind the first and last alternatives'],
    [/^(a)b|c$/, 'has a top-level "|", so its anchors only bind the first and last alternatives'],
  ])('%s: %s', (entry, problem) => {
    expect(compileOriginEntry(entry)).toMatchObject({ problem });
  });

  it.each([
    [/^https:\/\/a\.com$/gi, 'drop it: /^https:\\/\\/a\\.com$/i'],
    [/^https:\/\/a\.com$/my, 'drop it: /^https:\\/\\/a\\.com$/'],
    [/^https:\/\/a\.com/, 'anchor it to whole origins: /^https:\\/\\/a\\.com$/'],
    [/https:\/\/a\.com$/i, 'anchor it to whole origins: /^https:\\/\\/a\\.com$/i'],
    [/https:\/\/[^.]+\.com$/, 'anchor it to whole origins: /^https:\\/\\/[^.]+\\.com$/'],
    [/^https:\/\/a\.com\$/, 'anchor it to whole origins: /^https:\\/\\/a\\.com\\$$/'],
    [
      /^[a]b|c$/,
      'group the alternatives: /^(?:https:\\/\\/(?:[a-z0-9-]+\\.)*[a]b|https:\\/\\/(?:[a-z0-9-]+\\.)*c)$/',
    ],
    [
      /^(a)b|c$/,
      'group the alternatives: /^(?:https:\\/\\/(?:[a-z0-9-]+\\.)*(a)b|https:\\/\\/(?:[a-z0-9-]+\\.)*c)$/',
    ],
  ])('says how to fix %s', (entry, fix) => {
    expect(compileOriginEntry(entry)).toMatchObject({ fix });
  });
});
