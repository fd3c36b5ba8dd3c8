import { describe, expect, it } from 'vitest';
import {
  isOriginSyntaxError,
  parseSerializedOrigin,
  type ParsedOrigin,
} from '../policy/serialized-origin.js';
import { deriveVariants, describeSent } from './variants.js';

function origin(text: string): ParsedOrigin {
  const parsed = parseSerializedOrigin(text);
  if (isOriginSyntaxError(parsed)) throw new Error(parsed.error);
  return parsed;
}

/** One line a variant: `id (kind) what is sent`. */
function table(allowed: string[], browserOnly = false): string[] {
  return deriveVariants(allowed.map(origin), { browserOnly }).map(
    (v) => `${v.id} (${v.kind}) ${describeSent(v)}`,
  );
}

function ids(allowed: string[]): string[] {
  return deriveVariants(allowed.map(origin), { browserOnly: false }).map((v) => v.id);
}

describe('deriveVariants', () => {
  it('derives every bypass class from a subdomain origin', () => {
    expect(table(['https://app.example.com'])).toEqual([
      'allowed (control) Origin: https://app.example.com',
      'other-site (hostile) Origin: https://attacker.example',
      'sibling (hostile) Origin: https://attacker.example.com',
      'parent (hostile) Origin: https://example.com',
      'suffix (hostile) Origin: https://app.example.com.attacker.example',
      'prefix (hostile) Origin: https://attackerapp.example.com',
      'glued (hostile) Origin: https://attackerexample.com',
      'scheme (hostile) Origin: http://app.example.com',
      'port (hostile) Origin: https://app.example.com:8443',
      'userinfo (hostile) Origin: https://attacker.example@app.example.com',
      'userinfo-host (hostile) Origin: https://app.example.com@attacker.example',
      // The same origin once normalized: accepting it is right, so it is not hostile.
      'upper-case (equivalent) Origin: HTTPS://APP.EXAMPLE.COM',
      // Another origin for browsers (they keep the dot), and malformed for the guard.
      'trailing-dot (hostile) Origin: https://app.example.com.',
      'idn-lookalike (hostile) Origin: https://app.xn--xample-2of.com',
      'full-width (hostile) Origin: https://\uff41pp.example.com',
      'null (hostile) Origin: null',
      'duplicate (hostile) Origin: https://app.example.com, Origin: https://attacker.example',
      'ws-version-8 (hostile) Sec-WebSocket-Version: 8, Sec-WebSocket-Origin: https://attacker.example',
      'missing (native) no Origin',
      'fetch-cross-site (hostile) no Origin, Sec-Fetch-Site: cross-site, Sec-Fetch-Mode: no-cors',
      'fetch-same-site (hostile) no Origin, Sec-Fetch-Site: same-site, Sec-Fetch-Mode: navigate',
      'jsonp (hostile) j=0, no Origin',
    ]);
  });

  it('makes the missing-Origin shape hostile for a browser-only gateway', () => {
    expect(table(['https://app.example.com'], true)).toContain('missing (hostile) no Origin');
  });

  it('derives what applies to localhost with a port (no parent domain; prefix and glued coincide)', () => {
    expect(table(['http://localhost:3000']).slice(0, 14)).toEqual([
      'allowed (control) Origin: http://localhost:3000',
      'other-site (hostile) Origin: http://attacker.example',
      'sibling (hostile) Origin: http://attacker.localhost:3000',
      'suffix (hostile) Origin: http://localhost.attacker.example:3000',
      'prefix (hostile) Origin: http://attackerlocalhost:3000',
      'scheme (hostile) Origin: https://localhost:3000',
      'port (hostile) Origin: http://localhost:3001',
      'userinfo (hostile) Origin: http://attacker.example@localhost:3000',
      'userinfo-host (hostile) Origin: http://localhost:3000@attacker.example',
      'upper-case (equivalent) Origin: HTTP://LOCALHOST:3000',
      'trailing-dot (hostile) Origin: http://localhost.:3000',
      'idn-lookalike (hostile) Origin: http://xn--lcalhost-nbh:3000',
      'full-width (hostile) Origin: http://\uff4cocalhost:3000',
      'null (hostile) Origin: null',
    ]);
  });

  it('derives no subdomain variants from an IP address, and only port and scheme tricks from IPv6', () => {
    expect(ids(['http://127.0.0.1:8080']).slice(0, 10)).toEqual([
      'allowed',
      'other-site',
      'suffix',
      'scheme',
      'port',
      'userinfo',
      'userinfo-host',
      'upper-case',
      'trailing-dot',
      'full-width',
    ]);
    expect(ids(['https://[::1]:8443']).slice(0, 7)).toEqual([
      'allowed',
      'other-site',
      'scheme',
      'port',
      'userinfo',
      'userinfo-host',
      'upper-case',
    ]);
  });

  it('leaves out a derived value that is itself allowed, and numbers the later origins', () => {
    const variants = table(['https://app.example.com', 'http://app.example.com']);
    expect(variants.slice(0, 2)).toEqual([
      'allowed (control) Origin: https://app.example.com',
      'allowed-2 (control) Origin: http://app.example.com',
    ]);
    // https → http is the second allowed origin, not a downgrade; nor is http → https.
    expect(variants.filter((line) => line.startsWith('scheme'))).toEqual([]);
    // Values shared by both (other site, sibling, parent …) are sent once.
    expect(variants.filter((line) => line.endsWith(') Origin: https://attacker.example'))).toEqual([
      'other-site (hostile) Origin: https://attacker.example',
    ]);
    expect(variants).toContain('port-2 (hostile) Origin: http://app.example.com:8080');
    const labels = deriveVariants(
      [origin('https://app.example.com'), origin('http://app.example.com')],
      {
        browserOnly: false,
      },
    ).map((v) => v.label);
    expect(labels).toContain('other port [2]');
  });
});
