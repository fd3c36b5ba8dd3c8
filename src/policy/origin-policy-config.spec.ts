import { describe, expect, it } from 'vitest';
import { OriginGuardConfigError } from './origin-guard-config.error.js';
import { OriginPolicy } from './origin-policy.js';

function problemsOf(list: unknown): string[] {
  const { problems } = OriginPolicy.compile(list, { allowMissingOrigin: true }, 'allowedOrigins');
  return problems.map((p) => `${p.at} = ${p.value}: ${p.problem}. Fix: ${p.fix}.`);
}

describe('OriginPolicy.compile: configuration errors name the entry, the value and the fix', () => {
  it.each([
    [
      'example.com',
      `allowedOrigins[0] = "example.com": has no scheme. Fix: write the full origin, with the scheme your pages are served over: 'https://example.com'.`,
    ],
    [
      'https://example.com/path',
      `allowedOrigins[0] = "https://example.com/path": has a path. Fix: an origin has no path: write 'https://example.com'.`,
    ],
    [
      'https://example.com?x=1',
      `allowedOrigins[0] = "https://example.com?x=1": has a query or fragment. Fix: remove it: write 'https://example.com'.`,
    ],
    [
      'https://*example.com',
      `allowedOrigins[0] = "https://*example.com": has a "*" that does not stand for whole leading DNS labels. Fix: write the subdomain wildcard as 'https://*.example.com' (list the domain itself separately).`,
    ],
    [
      'https://a.*.example.com',
      `allowedOrigins[0] = "https://a.*.example.com": has a "*" that does not stand for whole leading DNS labels. Fix: a "*" can only stand for the leading labels of a host ("*." before a domain); use a RegExp for other shapes.`,
    ],
    [
      'https://*.*.example.com',
      `allowedOrigins[0] = "https://*.*.example.com": has a "*" that does not stand for whole leading DNS labels. Fix: write the subdomain wildcard as 'https://*.example.com' (list the domain itself separately).`,
    ],
    [
      'http://*.com',
      `allowedOrigins[0] = "http://*.com": would match every subdomain of the top-level domain "com". Fix: narrow it to a domain you control: anyone can register a name under a top-level domain.`,
    ],
    [
      'https://*.10.0.0.1',
      `allowedOrigins[0] = "https://*.10.0.0.1": puts a wildcard in front of an IP address. Fix: list each address as an exact origin, such as 'https://10.0.0.1'.`,
    ],
    [
      'https://example.com:99999',
      `allowedOrigins[0] = "https://example.com:99999": has port "99999", which is not a number from 1 to 65535 without leading zeros. Fix: use a port from 1 to 65535, or none for the default port: 'https://example.com'.`,
    ],
    [
      'https://example.com:0',
      `allowedOrigins[0] = "https://example.com:0": has port "0", which is not a number from 1 to 65535 without leading zeros. Fix: use a port from 1 to 65535, or none for the default port: 'https://example.com'.`,
    ],
    [
      'https://user@example.com',
      `allowedOrigins[0] = "https://user@example.com": contains userinfo (user@). Fix: remove the "user@" part, an origin never carries credentials: write 'https://example.com'.`,
    ],
    [
      'https://example.com.',
      `allowedOrigins[0] = "https://example.com.": has a trailing dot in the host. Fix: remove the trailing dot (origins with one are never allowed): write 'https://example.com'.`,
    ],
    [
      'https://a.com https://b.com',
      `allowedOrigins[0] = "https://a.com https://b.com": contains whitespace. Fix: list each origin as an entry of its own (parseOriginList() splits text so): 'https://a.com', 'https://b.com'.`,
    ],
    [
      'wss://app.example.com',
      `allowedOrigins[0] = "wss://app.example.com": uses the "wss" scheme, which no browser sends as an Origin. Fix: list the origin of the web page instead: 'https://app.example.com'.`,
    ],
    [
      '',
      `allowedOrigins[0] = "": is empty. Fix: remove it (parseOriginList() drops the empty pieces that splitting text leaves).`,
    ],
    [
      42,
      `allowedOrigins[0] = 42: is a number, not a string, RegExp or function. Fix: write each origin as a string (scheme://host[:port]), an anchored RegExp or a function.`,
    ],
    [
      /example\.com/,
      `allowedOrigins[0] = /example\\.com/: is not anchored at both ends, so it also matches origins that merely contain a match. Fix: anchor it to whole origins: /^https:\\/\\/(?:[a-z0-9-]+\\.)*example\\.com$/.`,
    ],
    [
      /^https:\/\/a\.com$/g,
      `allowedOrigins[0] = /^https:\\/\\/a\\.com$/g: has the "g" flag, which makes matching stateful or line-based. Fix: drop it: /^https:\\/\\/a\\.com$/.`,
    ],
    [
      /^https:\/\/a\.com|https:\/\/b\.com$/,
      `allowedOrigins[0] = /^https:\\/\\/a\\.com|https:\\/\\/b\\.com$/: has a top-level "|", so its anchors only bind the first and last alternatives. Fix: group the alternatives: /^(?:https:\\/\\/a\\.com|https:\\/\\/b\\.com)$/.`,
    ],
    [
      'https://example.com:[8443,x]',
      `allowedOrigins[0] = "https://example.com:[8443,x]": has a port list "[8443,x]" that is not comma-separated port numbers. Fix: write only port numbers, separated by commas: 'https://example.com:8443'.`,
    ],
    [
      'http://localhost:3000:*',
      `allowedOrigins[0] = "http://localhost:3000:*": has both the port 3000 and ":*". Fix: keep one: 'http://localhost:*' for any port, or 'http://localhost:3000' for that port.`,
    ],
    [
      null,
      `allowedOrigins[0] = null: is null, not a string, RegExp or function. Fix: write each origin as a string (scheme://host[:port]), an anchored RegExp or a function.`,
    ],
  ])('%j', (entry, message) => {
    expect(problemsOf([entry])).toEqual([message]);
  });

  it('refuses a bare string where a list is expected (the fail-open typo)', () => {
    expect(problemsOf('https://app.example.com')).toEqual([
      `allowedOrigins = "https://app.example.com": is not an array. Fix: wrap it in an array: ['https://app.example.com'].`,
    ]);
    expect(problemsOf(undefined)).toEqual([
      `allowedOrigins = undefined: is not an array. Fix: pass an array of origins such as ['https://app.example.com'].`,
    ]);
  });

  it('lists every bad entry in one error, and keeps the good ones out of it', () => {
    const { problems } = OriginPolicy.compile(
      ['https://ok.example.com', 'example.com', 7, 'https://*example.com'],
      { allowMissingOrigin: true },
      'allowedOrigins',
    );
    const error = new OriginGuardConfigError('OriginGuardModule', problems);
    expect(error.message).toBe(
      [
        'OriginGuardModule: invalid origin policy (3 problems):',
        `  - allowedOrigins[1] = "example.com": has no scheme. Fix: write the full origin, with the scheme your pages are served over: 'https://example.com'.`,
        `  - allowedOrigins[2] = 7: is a number, not a string, RegExp or function. Fix: write each origin as a string (scheme://host[:port]), an anchored RegExp or a function.`,
        `  - allowedOrigins[3] = "https://*example.com": has a "*" that does not stand for whole leading DNS labels. Fix: write the subdomain wildcard as 'https://*.example.com' (list the domain itself separately).`,
      ].join('\n'),
    );
    expect(error.name).toBe('OriginGuardConfigError');
  });

  it('accepts the special entries', () => {
    expect(problemsOf(['*', 'null', 'https://*.example.com', 'moz-extension://0b3d-41f2'])).toEqual(
      [],
    );
  });
});
