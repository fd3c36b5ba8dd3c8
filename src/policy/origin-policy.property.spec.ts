import * as fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { decideSync, recheckSync } from '../../test/support/decide-sync.js';
import { propertyRuns } from '../../test/support/property-runs.js';
import { OriginPolicy } from './origin-policy.js';
import { isOriginSyntaxError, parseSerializedOrigin } from './serialized-origin.js';

const RUNS = propertyRuns(10_000);

const ENTRIES = [
  'https://app.example.com',
  'https://*.example.com',
  'http://localhost:4200',
  'https://*.corp.example.org:8443',
  'capacitor://localhost',
  'http://10.0.0.7',
];
// Compiled for each test, not at import: mutation testing (npm run mutate) then sees which
// test covers the compile path, and need not rerun the whole suite for its mutants.
let policy: OriginPolicy;
beforeEach(() => {
  policy = OriginPolicy.compile(ENTRIES, { allowMissingOrigin: false }, 'allowedOrigins').policy;
});

/** Characters that have broken hand-written origin checks somewhere. */
const TRICKY = [
  '.',
  '@',
  ':',
  '/',
  '\\',
  '%',
  '%2e',
  ' ',
  '\t',
  '\0',
  '\r\n',
  ',',
  ', ',
  '*',
  '#',
  '?',
  '[',
  ']',
  '\uff0e',
  '\u3002',
  'а',
  'ß',
  'İ',
  '\u200b',
  'xn--',
  '-',
  '_',
  '0',
  '00',
  '443',
  ':443',
  ':80',
  '.evil.com',
  'evil',
  'EXAMPLE',
  '..',
  '.',
  'https://',
  'null',
];

/** Allowed origins, and near misses made by splicing tricky text into them. */
const candidate = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(...ENTRIES.map((e) => e.replace('*', 'a'))),
  fc
    .tuple(
      fc.constantFrom(...ENTRIES.map((e) => e.replace('*', 'x.y'))),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TRICKY)), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
    )
    .map(([base, edits, upper]) => {
      let text = upper ? base.toUpperCase() : base;
      for (const [at, piece] of edits) {
        const i = at % (text.length + 1);
        text = text.slice(0, i) + piece + text.slice(i);
      }
      return text;
    }),
);

/**
 * An oracle written independently of the matcher: an origin may only be allowed when it is
 * already canonical (lower-case, no default port, nothing to repair) and is an exact entry or
 * one-or-more labels in front of a wildcard entry's domain, with the same scheme and port.
 */
function allowlistedByOracle(origin: string): boolean {
  const canonical = /^([a-z][a-z0-9+.-]*):\/\/([a-z0-9_.-]+)(:[1-9][0-9]*)?$/.exec(origin);
  if (canonical === null) return false;
  const [, scheme, host, port = ''] = canonical;
  return ENTRIES.some((entry) => {
    const wildcard = /^([a-z]+):\/\/\*\.([^:]+)(:[0-9]+)?$/.exec(entry);
    if (wildcard === null) return entry === origin;
    const [, wScheme, domain, wPort = ''] = wildcard;
    const labels = host!.endsWith(`.${domain}`) ? host!.slice(0, -domain!.length - 1) : '';
    return (
      scheme === wScheme &&
      port === wPort &&
      labels.length > 0 &&
      labels.split('.').every((l) => /^[a-z0-9_-]+$/.test(l))
    );
  });
}

function withoutDefaultPort(origin: string): string {
  // only a port right after the host counts: `http://h:4200:80` is malformed, not `http://h:4200`
  const host = '(?:\\[[^\\]]*\\]|[^/:[\\]]*)';
  return origin
    .replace(new RegExp(`^(https://${host}):443$`), '$1')
    .replace(new RegExp(`^(http://${host}):80$`), '$1');
}

describe('OriginPolicy properties', () => {
  it('never throws, whatever the header holds', () => {
    expect(() =>
      fc.assert(
        fc.property(
          fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { maxLength: 8 }),
          (raw) => {
            decideSync(policy, raw);
            decideSync(policy, ['Origin', raw.join('')]);
          },
        ),
        RUNS,
      ),
    ).not.toThrow();
  });

  it('never allows an origin that is not derived from an allowed entry', () => {
    fc.assert(
      fc.property(candidate, (origin) => {
        const decision = decideSync(policy, ['Origin', origin]);
        const folded = withoutDefaultPort(origin.toLowerCase());
        const expected = allowlistedByOracle(folded);
        expect(decision.allowed).toBe(expected);
        // nothing was repaired: an allowed origin is the header, case-folded
        expect(decision.allowed ? decision.origin : folded).toBe(folded);
      }),
      RUNS,
    );
  });

  it('normalization is idempotent', () => {
    fc.assert(
      fc.property(candidate, (origin) => {
        const once = parseSerializedOrigin(origin);
        const again = isOriginSyntaxError(once) ? once : parseSerializedOrigin(once.serialized);
        expect(again).toEqual(once);
      }),
      RUNS,
    );
  });

  it('the decision cache never changes a verdict', () => {
    expect(() =>
      fc.assert(
        fc.property(fc.array(candidate, { minLength: 1, maxLength: 8 }), (origins) => {
          // a long-lived policy (warm cache, cleared when full) against a fresh one per decision
          for (const origin of [...origins, ...origins]) {
            const fresh = OriginPolicy.compile(ENTRIES, { allowMissingOrigin: false }, 'a').policy;
            expect(decideSync(policy, ['Origin', origin])).toEqual(
              decideSync(fresh, ['Origin', origin]),
            );
          }
        }),
        RUNS,
      ),
    ).not.toThrow();
  });

  it('the guard re-check agrees with the handshake decision', () => {
    fc.assert(
      fc.property(candidate, (origin) => {
        const decision = decideSync(policy, ['Origin', origin]);
        expect(decision.allowed && !recheckSync(policy, decision.origin)).toBe(false);
      }),
      RUNS,
    );
  });
});
