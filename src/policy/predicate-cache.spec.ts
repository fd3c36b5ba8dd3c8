import { describe, expect, it } from 'vitest';
import { type Call, contextOf, hashOf } from '../../test/support/predicate-calls.js';
import {
  DEFAULT_PREDICATE_SETTINGS,
  type OriginPredicate,
  PredicateRunner,
} from './origin-predicate.js';

// The cache-key and eviction cases that predicate-cache.property.spec.ts found, kept as examples.

describe('PredicateRunner cache', () => {
  it.each([
    [
      'host "a b" + path "c", then host "a" + path "b c"',
      { origin: 'https://a.example', host: 'a b', path: 'c', gateway: undefined },
      { origin: 'https://a.example', host: 'a', path: 'b c', gateway: undefined },
    ],
    [
      'path "/x y" + gateway "G", then path "/x" + gateway "y G"',
      { origin: 'https://a.example', host: 'h', path: '/x y', gateway: 'G' },
      { origin: 'https://a.example', host: 'h', path: '/x', gateway: 'y G' },
    ],
  ] satisfies [string, Call, Call][])(
    'does not answer %s from the first call (one space-joined key)',
    async (_case, first, second) => {
      // Allows exactly the first call's fields, so a shared cache entry allows the second.
      const onlyFirst: OriginPredicate = (origin, context) =>
        hashOf({ origin, ...context }) === hashOf(first);
      const runner = new PredicateRunner(onlyFirst, DEFAULT_PREDICATE_SETTINGS);
      expect(await runner.run(first.origin, contextOf(first))).toEqual({ allowed: true });
      expect(await runner.run(second.origin, contextOf(second))).toEqual({ allowed: false });
    },
  );

  it.each(['allow', 'refuse'] as const)(
    'decides an answer still being fetched when other look-ups evict it (onFailure: %s)',
    async (onFailure) => {
      const denyA: OriginPredicate = async (origin) => origin !== 'https://a.example';
      const runner = new PredicateRunner(denyA, {
        ...DEFAULT_PREDICATE_SETTINGS,
        cacheMaxEntries: 1,
        onFailure,
      });
      const context = contextOf({ origin: '', host: 'h', path: '/ws', gateway: 'G' });
      // Both are still being fetched when the second pushes the first out of a 1-entry cache.
      const [a, b] = await Promise.all([
        runner.run('https://a.example', context),
        runner.run('https://b.example', context),
      ]);
      expect({ a, b }).toEqual({ a: { allowed: false }, b: { allowed: true } });
    },
  );
});
