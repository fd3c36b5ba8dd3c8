import { LRUCache } from 'lru-cache';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OriginCheckContext } from './handshake-request.js';
import {
  DEFAULT_PREDICATE_SETTINGS,
  type OriginPredicate,
  PredicateRunner,
  type PredicateSettings,
} from './origin-predicate.js';
import { OriginPolicy } from './origin-policy.js';

const CONTEXT: OriginCheckContext = {
  host: 'app.example.com',
  path: '/ws',
  gateway: 'ChatGateway',
  headers: {},
};

function runner(
  predicate: OriginPredicate,
  settings: Partial<PredicateSettings> = {},
  now: () => number = Date.now,
): PredicateRunner {
  return new PredicateRunner(predicate, { ...DEFAULT_PREDICATE_SETTINGS, ...settings }, now);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('PredicateRunner', () => {
  it('caches by origin, host, path and gateway: each of them is part of the key', async () => {
    const predicate = vi.fn<OriginPredicate>(
      (origin, { host, path, gateway }) =>
        origin === 'https://a.example' &&
        host === 'app.example.com' &&
        path === '/ws' &&
        gateway === 'ChatGateway',
    );
    const run = runner(predicate);
    expect(await run.run('https://a.example', CONTEXT)).toEqual({ allowed: true });
    // A cached answer is returned synchronously.
    expect(run.run('https://a.example', CONTEXT)).toEqual({ allowed: true });
    expect(await run.run('https://a.example', { ...CONTEXT, host: 'other.example' })).toEqual({
      allowed: false,
    });
    expect(await run.run('https://a.example', { ...CONTEXT, gateway: 'Other' })).toEqual({
      allowed: false,
    });
    expect(await run.run('https://a.example', { ...CONTEXT, path: '/other' })).toEqual({
      allowed: false,
    });
    expect(await run.run('https://a.example', { ...CONTEXT, host: undefined })).toEqual({
      allowed: false,
    });
    expect(await run.run('https://a.example', { ...CONTEXT, gateway: undefined })).toEqual({
      allowed: false,
    });
    expect(predicate).toHaveBeenCalledTimes(6);
  });

  it('keeps the answer of a predicate whose entry was evicted while it ran', async () => {
    // Two look-ups with room for one: the second evicts the first while both are pending.
    const pending: ((answer: boolean) => void)[] = [];
    const run = runner(() => new Promise<boolean>((resolve) => pending.push(resolve)), {
      cacheMaxEntries: 1,
      onFailure: 'allow',
    });
    const first = run.run('https://a.example', CONTEXT);
    const second = run.run('https://b.example', CONTEXT);
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    for (const resolve of pending) resolve(false);
    expect(await first).toEqual({ allowed: false });
    expect(await second).toEqual({ allowed: false });
  });

  it('drops stale answers at most once per TTL period, on a miss', async () => {
    const purge = vi.spyOn(LRUCache.prototype, 'purgeStale');
    let time = 1000;
    const run = runner(
      () => true,
      { cacheTtlMs: 100 },
      () => time,
    );
    await run.run('https://a.example', CONTEXT);
    time = 1099;
    await run.run('https://b.example', CONTEXT);
    expect(purge).not.toHaveBeenCalled();
    time = 1100;
    await run.run('https://c.example', CONTEXT);
    expect(purge).toHaveBeenCalledTimes(1);
    time = 1150;
    await run.run('https://d.example', CONTEXT);
    // A hit (answered synchronously) never purges.
    expect(run.run('https://d.example', CONTEXT)).toEqual({ allowed: true });
    time = 1199;
    await run.run('https://e.example', CONTEXT);
    expect(purge).toHaveBeenCalledTimes(1);
    time = 1200;
    await run.run('https://f.example', CONTEXT);
    expect(purge).toHaveBeenCalledTimes(2);
  });

  it('shows at most 200 characters of what a predicate threw', async () => {
    const throwing = (message: string) =>
      runner(() => {
        throw new Error(message);
      });
    const exact = 'x'.repeat(200);
    expect(await throwing(exact).run('https://a.example', CONTEXT)).toEqual({
      allowed: false,
      failure: `threw: ${exact}`,
    });
    expect(await throwing(`${exact}yz`).run('https://a.example', CONTEXT)).toEqual({
      allowed: false,
      failure: `threw: ${exact}…`,
    });
    const rejecting = runner(() => Promise.reject(new Error('no')));
    expect(await rejecting.run('https://a.example', CONTEXT)).toEqual({
      allowed: false,
      failure: 'threw: no',
    });
  });

  it.each([
    [null, 'returned null instead of true or false'],
    [undefined, 'returned undefined instead of true or false'],
    [{}, 'returned an object instead of true or false'],
    ['yes', 'returned a string instead of true or false'],
    [1, 'returned a number instead of true or false'],
  ])('fails on an answer of %j', async (answer, failure) => {
    const run = runner(() => answer as boolean);
    expect(await run.run('https://a.example', CONTEXT)).toEqual({ allowed: false, failure });
  });
});

describe('OriginPolicy: what a predicate is told', () => {
  it('has no host without a Host header, the path * without a routed path, and no gateway without gateways', async () => {
    const seen: OriginCheckContext[] = [];
    const { policy } = OriginPolicy.compile(
      [
        (_origin: string, context: OriginCheckContext) => {
          seen.push(context);
          return true;
        },
      ],
      {},
      'allowedOrigins',
    );
    await policy.evaluate({ rawHeaders: ['Origin', 'https://a.example'] }, { gateways: [] });
    await policy.evaluate(
      { rawHeaders: ['Origin', 'https://b.example'] },
      { gateways: ['A', 'B'], path: '/chat' },
    );
    expect(seen).toEqual([
      { host: undefined, path: '*', gateway: undefined, headers: { origin: 'https://a.example' } },
      { host: undefined, path: '/chat', gateway: 'A, B', headers: { origin: 'https://b.example' } },
    ]);
  });
});
