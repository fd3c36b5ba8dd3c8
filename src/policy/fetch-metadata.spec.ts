import { describe, expect, it } from 'vitest';
import { decideSync } from '../../test/support/decide-sync.js';
import { foreignBrowserRequest } from './fetch-metadata.js';
import { OriginPolicy } from './origin-policy.js';

/** What browsers send on the requests a page can make without Origin (Fetch spec, MDN). */
describe('foreignBrowserRequest', () => {
  it.each([
    // <script src> / <img src> from a page on another site or a sibling subdomain.
    [
      ['Sec-Fetch-Site', 'cross-site', 'Sec-Fetch-Mode', 'no-cors'],
      'Sec-Fetch-Site: cross-site, Sec-Fetch-Mode: no-cors',
    ],
    [
      ['Sec-Fetch-Site', 'same-site', 'Sec-Fetch-Mode', 'no-cors'],
      'Sec-Fetch-Site: same-site, Sec-Fetch-Mode: no-cors',
    ],
    // A same-origin page's <script src> is still no-cors: no socket client loads a poll so.
    [
      ['Sec-Fetch-Site', 'same-origin', 'Sec-Fetch-Mode', 'no-cors'],
      'Sec-Fetch-Site: same-origin, Sec-Fetch-Mode: no-cors',
    ],
    // A link or a typed URL (top-level navigation).
    [
      ['Sec-Fetch-Site', 'none', 'Sec-Fetch-Mode', 'navigate'],
      'Sec-Fetch-Site: none, Sec-Fetch-Mode: navigate',
    ],
    [
      ['Sec-Fetch-Site', 'cross-site', 'Sec-Fetch-Mode', 'navigate'],
      'Sec-Fetch-Site: cross-site, Sec-Fetch-Mode: navigate',
    ],
    // Each header alone is enough.
    [['sec-fetch-site', 'cross-site'], 'Sec-Fetch-Site: cross-site'],
    [['SEC-FETCH-MODE', 'no-cors'], 'Sec-Fetch-Mode: no-cors'],
    // Values are compared case-insensitively and trimmed, and shown as received.
    [['Sec-Fetch-Site', ' Cross-Site '], 'Sec-Fetch-Site:  Cross-Site '],
    // A repeated header cannot hide a foreign value behind a harmless one.
    [
      ['Sec-Fetch-Site', 'same-origin', 'Sec-Fetch-Site', 'cross-site'],
      'Sec-Fetch-Site: same-origin, cross-site',
    ],
  ])('gives away a browser request for another page: %j', (headers, detail) => {
    expect(foreignBrowserRequest(['Host', 'app.example.com', ...headers])).toBe(detail);
  });

  it.each([
    [[]],
    [['Host', 'app.example.com']],
    // socket.io-client's own polling from the app's page: a same-origin XHR (no Origin on GET).
    [['Sec-Fetch-Site', 'same-origin', 'Sec-Fetch-Mode', 'cors', 'Sec-Fetch-Dest', 'empty']],
    [['Sec-Fetch-Site', 'same-origin', 'Sec-Fetch-Mode', 'same-origin']],
    [['Sec-Fetch-Mode', 'websocket', 'Sec-Fetch-Site', 'same-origin']],
    // Lookalike names are not Fetch Metadata.
    [['Sec-Fetch-Sitex', 'cross-site', 'X-Sec-Fetch-Mode', 'no-cors']],
  ])('finds nothing foreign in %j', (headers) => {
    expect(foreignBrowserRequest(headers)).toBeUndefined();
  });
});

describe('OriginPolicy: requests without Origin', () => {
  const headers = (...extra: string[]) => ['Host', 'app.example.com', ...extra];

  it.each([true, false])(
    'refuses a browser request for another page whatever allowMissingOrigin says (%s)',
    (allowMissingOrigin) => {
      const { policy } = OriginPolicy.compile(['*'], { allowMissingOrigin }, 'allowedOrigins');
      expect(
        decideSync(policy, headers('Sec-Fetch-Site', 'same-site', 'Sec-Fetch-Mode', 'no-cors')),
      ).toEqual({
        allowed: false,
        reason: 'browser_without_origin',
        claimed: undefined,
        detail: 'Sec-Fetch-Site: same-site, Sec-Fetch-Mode: no-cors',
      });
    },
  );

  it('accepts a native client (no Origin, no Fetch Metadata) and a same-origin XHR poll under allowMissingOrigin', () => {
    const { policy } = OriginPolicy.compile(['https://app.example.com'], {}, 'allowedOrigins');
    const allowed = { allowed: true, origin: undefined, matchedEntry: undefined };
    expect(decideSync(policy, headers())).toEqual(allowed);
    expect(
      decideSync(policy, headers('Sec-Fetch-Site', 'same-origin', 'Sec-Fetch-Mode', 'cors')),
    ).toEqual(allowed);
  });

  it('leaves a request with an Origin to the allowlist: Fetch Metadata is only the missing-Origin signal', () => {
    const { policy } = OriginPolicy.compile(['https://app.example.com'], {}, 'allowedOrigins');
    expect(
      decideSync(
        policy,
        headers('Origin', 'https://app.example.com', 'Sec-Fetch-Site', 'same-site'),
      ),
    ).toEqual({
      allowed: true,
      origin: 'https://app.example.com',
      matchedEntry: 'https://app.example.com',
    });
  });

  it('applies to the guard re-check of a client recorded without Origin', () => {
    const { policy } = OriginPolicy.compile(['https://app.example.com'], {}, 'allowedOrigins');
    const request = { rawHeaders: headers('Sec-Fetch-Mode', 'navigate') };
    expect(policy.recheck(undefined, request, { gateways: ['G.h'] })).toEqual({
      allowed: false,
      reason: 'browser_without_origin',
      claimed: undefined,
      detail: 'Sec-Fetch-Mode: navigate',
    });
  });
});

describe('foreignBrowserRequest: what the detail shows', () => {
  it('gives away a same-site request by its site alone', () => {
    expect(foreignBrowserRequest(['Sec-Fetch-Site', 'same-site', 'Sec-Fetch-Mode', 'cors'])).toBe(
      'Sec-Fetch-Site: same-site, Sec-Fetch-Mode: cors',
    );
  });

  it('shows only the two Fetch Metadata headers it reads, repeated lines joined', () => {
    expect(
      foreignBrowserRequest([
        'Sec-Fetch-Site',
        'cross-site',
        'Sec-Fetch-Dest',
        'script',
        'Sec-Fetch-Mode',
        'cors',
        'Sec-Fetch-Mode',
        'no-cors',
      ]),
    ).toBe('Sec-Fetch-Site: cross-site, Sec-Fetch-Mode: cors, no-cors');
  });
});
