import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Call, contextOf, hashOf } from '../../test/support/predicate-calls.js';
import { propertyRuns } from '../../test/support/property-runs.js';
import {
  DEFAULT_PREDICATE_SETTINGS,
  type OriginPredicate,
  PredicateRunner,
  type PredicateSettings,
} from './origin-predicate.js';

/**
 * The predicate cache must be invisible: whatever sequence of handshakes a runner has seen,
 * its answer for one (origin, host, path, gateway) is the answer a runner that has seen nothing
 * gives. The cache key is where that breaks, so the pools below are small (keys repeat: cache
 * hits happen in almost every run) and full of values whose parts run into each other when
 * fields are joined: separators inside values (`a b` + `c` against `a` + `b c`), an empty path,
 * case and trailing-slash variants, a `|`, a NUL, a long value. Hosts and gateways are absent
 * or non-empty, as `OriginPolicy` passes them (a validated `Host`, joined class names).
 *
 * Catches (each checked by breaking `PredicateRunner.run` locally, then restoring it):
 * - a key that leaves out a field the predicate reads (host, path or gateway);
 * - a key that joins fields with a separator the fields may contain (the space of
 *   `${origin} ${host} ${path} ${gateway}`);
 * - a key that normalizes a field (case, trailing slash) the predicate sees unnormalized;
 * - concurrent look-ups of two colliding keys sharing one predicate call (`fetch`);
 * - an answer still being fetched that other look-ups evict from the cache: lru-cache then
 *   rejects the fetch ("evicted"), and the runner turns that into a predicate failure, which
 *   `onFailure: 'allow'` turns into an allowed origin the predicate denies.
 * The reference is a fresh runner, not the bare predicate, so a runner that hands the
 * predicate normalized fields is compared with the same normalization, and only what the cache
 * adds can differ.
 */

const RUNS = propertyRuns(2_000);

const ORIGINS = ['https://a.example', 'https://b.example', 'http://a.example:8080', 'null'];
const HOSTS: (string | undefined)[] = [
  undefined,
  'a',
  'a b',
  'b',
  'b c',
  'A',
  'a.example',
  'a.example:8080',
  'a|b',
  'a\0b',
  `${'h'.repeat(300)}.example`,
];
const PATHS = ['', '/', '/ws', '/ws/', 'b', 'b c', 'c', ' ', '/WS', '/a b', 'a|b'];
const GATEWAYS: (string | undefined)[] = [
  undefined,
  'c',
  'b c',
  'ChatGateway',
  'ChatGateway, AdminGateway',
  'AdminGateway',
  ' ',
];

const anyCall: fc.Arbitrary<Call> = fc.record({
  origin: fc.constantFrom(...ORIGINS),
  host: fc.constantFrom(...HOSTS),
  path: fc.constantFrom(...PATHS),
  gateway: fc.constantFrom(...GATEWAYS),
});

const PARTNERS = [
  'host word to path',
  'path word to gateway',
  'host case',
  'path case',
  'path slash',
  'no host',
  'no gateway',
  'next path',
] as const;
type Partner = (typeof PARTNERS)[number];

/**
 * A call that differs from `c` where a careless key would not: a word moved across a field
 * boundary (same text when fields are joined with spaces), a field in another case or with a
 * trailing slash (same text once normalized), or one field left out or changed (same key when
 * the key leaves that field out). `c` itself when the change does not apply.
 */
function partnerOf(c: Call, kind: Partner): Call {
  const host = c.host ?? '';
  switch (kind) {
    case 'host word to path': {
      const space = host.lastIndexOf(' ');
      if (space === -1) return c;
      return { ...c, host: host.slice(0, space), path: `${host.slice(space + 1)} ${c.path}` };
    }
    case 'path word to gateway': {
      const space = c.path.lastIndexOf(' ');
      if (space === -1 || c.gateway === undefined) return c;
      return {
        ...c,
        path: c.path.slice(0, space),
        gateway: `${c.path.slice(space + 1)} ${c.gateway}`,
      };
    }
    case 'host case':
      return c.host === undefined ? c : { ...c, host: flipCase(c.host) };
    case 'path case':
      return { ...c, path: flipCase(c.path) };
    case 'path slash':
      return { ...c, path: c.path.endsWith('/') ? c.path.slice(0, -1) : `${c.path}/` };
    case 'no host':
      return { ...c, host: undefined };
    case 'no gateway':
      return { ...c, gateway: undefined };
    case 'next path':
      return { ...c, path: PATHS[(PATHS.indexOf(c.path) + 1) % PATHS.length]! };
  }
}

function flipCase(text: string): string {
  return text === text.toLowerCase() ? text.toUpperCase() : text.toLowerCase();
}

/**
 * What one run asks: a few distinct calls (one with a near-colliding partner), drawn again and
 * again in batches that are issued together (not awaited in between) and then awaited, so
 * answers come from the cache, from a fetch another call started, or from the predicate.
 */
const scenario = fc
  .tuple(
    anyCall,
    fc.constantFrom(...PARTNERS),
    fc.array(anyCall, { maxLength: 3 }),
    fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 }),
  )
  .map(([first, kind, others, picks]) => {
    const calls = [first, partnerOf(first, kind), ...others];
    return picks.map((batch) => batch.map((i) => calls[i % calls.length]!));
  });

const settings: fc.Arbitrary<PredicateSettings> = fc.record({
  timeoutMs: fc.constant(DEFAULT_PREDICATE_SETTINGS.timeoutMs),
  cacheTtlMs: fc.constant(DEFAULT_PREDICATE_SETTINGS.cacheTtlMs),
  // 1 and 3 evict constantly; 1,000 never does.
  cacheMaxEntries: fc.constantFrom(1, 3, 1_000),
  onFailure: fc.constantFrom('refuse' as const, 'allow' as const),
});

/**
 * Allowed iff the hash of all four fields is even: any two keys that differ in any field are as
 * likely as not to get different answers, so a collision shows within a few calls. Answers
 * synchronously or through a promise, by a second bit of the same hash.
 */
function predicateCounting(counter: { calls: number }): OriginPredicate {
  return (origin, context) => {
    counter.calls++;
    const hash = hashOf({
      origin,
      host: context.host,
      path: context.path,
      gateway: context.gateway,
    });
    const allowed = hash % 2 === 0;
    return (hash >>> 1) % 2 === 0 ? allowed : Promise.resolve(allowed);
  };
}

/** A runner that has seen nothing (its own cache is used once, so one entry is plenty). */
function freshRunner(runnerSettings: PredicateSettings): PredicateRunner {
  return new PredicateRunner(predicateCounting({ calls: 0 }), {
    ...runnerSettings,
    cacheMaxEntries: 1,
  });
}

describe('PredicateRunner cache', () => {
  it('never changes a verdict: a long-lived runner answers as a fresh one, for every sequence', async () => {
    const totals = { runs: 0, calls: 0 };
    await fc.assert(
      fc.asyncProperty(settings, scenario, async (runnerSettings, sequence) => {
        const counter = { calls: 0 };
        const predicate = predicateCounting(counter);
        const cached = new PredicateRunner(predicate, runnerSettings);
        for (const batch of sequence) {
          const answers = await Promise.all(
            batch.map((c) => Promise.resolve(cached.run(c.origin, contextOf(c)))),
          );
          const expected = await Promise.all(
            batch.map((c) =>
              Promise.resolve(freshRunner(runnerSettings).run(c.origin, contextOf(c))),
            ),
          );
          const seen = batch.map((c, i) => ({ call: c, verdict: answers[i] }));
          const wanted = batch.map((c, i) => ({ call: c, verdict: expected[i] }));
          expect(seen).toEqual(wanted);
          totals.runs += batch.length;
        }
        totals.calls += counter.calls;
      }),
      RUNS,
    );
    // The cache really answered: far fewer predicate calls than look-ups.
    expect(totals.calls).toBeLessThan(totals.runs / 2);
  });
});
