import * as fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { propertyRuns } from '../../test/support/property-runs.js';
import type { OriginCheckContext } from './handshake-request.js';
import type { OriginDecision } from './origin-decision.js';
import type { OriginPredicate, PredicateSettings } from './origin-predicate.js';
import { OriginPolicy } from './origin-policy.js';

const REQUEST = (origin: string) => ({
  rawHeaders: ['Host', 'App.Example.com', 'Origin', origin, 'Cookie', 'sid=1'],
  url: '/tenant/ws?token=abc',
});
const SCOPE = { gateways: ['TenantGateway'], path: '/tenant/ws' };

function compile(list: unknown[], predicates: Partial<PredicateSettings> = {}): OriginPolicy {
  const { policy, problems } = OriginPolicy.compile(
    list,
    {
      predicates: {
        timeoutMs: 2000,
        cacheTtlMs: 60_000,
        cacheMaxEntries: 100,
        onFailure: 'refuse',
        ...predicates,
      },
    },
    'allowedOrigins',
  );
  expect(problems).toEqual([]);
  return policy;
}

async function decide(policy: OriginPolicy, origin: string): Promise<OriginDecision> {
  return policy.evaluate(REQUEST(origin), SCOPE);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('predicate entries', () => {
  it('get the normalized origin and the handshake context, and can allow or deny', async () => {
    const seen: [string, OriginCheckContext][] = [];
    const tenants: OriginPredicate = async (origin, context) => {
      seen.push([origin, context]);
      return origin === 'https://tenant-a.example';
    };
    const policy = compile(['https://app.example.com', tenants]);
    expect(await decide(policy, 'HTTPS://Tenant-A.example:443')).toEqual({
      allowed: true,
      origin: 'https://tenant-a.example',
      matchedEntry: '[function tenants]',
    });
    expect(await decide(policy, 'https://tenant-b.example')).toEqual({
      allowed: false,
      reason: 'not_allowed',
      claimed: 'https://tenant-b.example',
    });
    expect(seen[0]).toEqual([
      'https://tenant-a.example',
      {
        host: 'app.example.com',
        path: '/tenant/ws',
        gateway: 'TenantGateway',
        headers: {
          host: 'App.Example.com',
          origin: 'HTTPS://Tenant-A.example:443',
          cookie: 'sid=1',
        },
      },
    ]);
  });

  it('are not asked when an indexed entry matches, and never for malformed values', async () => {
    const predicate = vi.fn<OriginPredicate>(() => true);
    const policy = compile(['https://app.example.com', predicate]);
    expect(policy.evaluate(REQUEST('https://app.example.com'), SCOPE)).toMatchObject({
      allowed: true,
    });
    expect(policy.evaluate(REQUEST('https://a.com@evil.com'), SCOPE)).toMatchObject({
      reason: 'malformed',
    });
    expect(policy.evaluate(REQUEST('null'), SCOPE)).toMatchObject({ reason: 'null' });
    expect(predicate).not.toHaveBeenCalled();
  });

  it('fail closed when they throw, and say so', async () => {
    const broken: OriginPredicate = () => {
      throw new Error('database unreachable');
    };
    expect(await decide(compile([broken]), 'https://x.example')).toEqual({
      allowed: false,
      reason: 'predicate_failed',
      claimed: 'https://x.example',
      detail: 'predicate [function broken] threw: database unreachable',
    });
  });

  it('fail closed when they reject', async () => {
    const rejecting: OriginPredicate = () => Promise.reject(new Error('timeout from pool'));
    expect(await decide(compile([rejecting]), 'https://x.example')).toMatchObject({
      reason: 'predicate_failed',
      detail: 'predicate [function rejecting] threw: timeout from pool',
    });
  });

  it.each([
    ['a string', 'yes', 'returned a string instead of true or false'],
    ['a number', 1, 'returned a number instead of true or false'],
    ['undefined', undefined, 'returned undefined instead of true or false'],
    ['null', null, 'returned null instead of true or false'],
    ['an object', { allowed: true }, 'returned an object instead of true or false'],
    ['a promise of a string', Promise.resolve('yes'), 'returned a string instead of true or false'],
    [
      'a thenable of an object',
      // oxlint-disable-next-line unicorn/no-thenable -- deliberately a thenable: what a predicate built on a non-native promise library answers.
      { then: (ok: (v: unknown) => void) => ok({}) },
      'returned an object instead of true or false',
    ],
  ])('fail closed when they answer %s', async (_case, answer, detail) => {
    const odd = (() => answer) as unknown as OriginPredicate;
    expect(await decide(compile([odd]), 'https://x.example')).toMatchObject({
      allowed: false,
      reason: 'predicate_failed',
      detail: `predicate [function odd] ${detail}`,
    });
  });

  it('fail closed when they time out', async () => {
    vi.useFakeTimers();
    const slow: OriginPredicate = () => new Promise<boolean>(() => {});
    const pending = decide(compile([slow], { timeoutMs: 250 }), 'https://x.example');
    await vi.advanceTimersByTimeAsync(250);
    expect(await pending).toMatchObject({
      allowed: false,
      reason: 'predicate_failed',
      detail: 'predicate [function slow] timed out after 250 ms',
    });
  });

  it("fail open when onFailure is 'allow', and still report the failure", async () => {
    const broken: OriginPredicate = () => {
      throw new Error('down');
    };
    expect(await decide(compile([broken], { onFailure: 'allow' }), 'https://x.example')).toEqual({
      allowed: true,
      origin: 'https://x.example',
      matchedEntry: '[function broken]',
      failure: 'predicate [function broken] threw: down',
    });
  });

  it('share one call between concurrent handshakes of one origin', async () => {
    let release!: (answer: boolean) => void;
    const predicate = vi.fn<OriginPredicate>(
      () => new Promise<boolean>((resolve) => (release = resolve)),
    );
    const policy = compile([predicate]);
    const decisions = Array.from({ length: 20 }, () => decide(policy, 'https://tenant.example'));
    await vi.waitFor(() => expect(predicate).toHaveBeenCalled());
    release(true);
    expect((await Promise.all(decisions)).every((d) => d.allowed)).toBe(true);
    expect(predicate).toHaveBeenCalledTimes(1);
  });

  it('cache allow and deny answers, answering repeats synchronously', async () => {
    const predicate = vi.fn<OriginPredicate>(async (origin) => origin.startsWith('https://ok'));
    const policy = compile([predicate]);
    await decide(policy, 'https://ok.example');
    await decide(policy, 'https://no.example');
    expect(policy.evaluate(REQUEST('https://ok.example'), SCOPE)).toMatchObject({ allowed: true });
    expect(policy.evaluate(REQUEST('https://no.example'), SCOPE)).toMatchObject({
      allowed: false,
      reason: 'not_allowed',
    });
    expect(predicate).toHaveBeenCalledTimes(2);
  });

  it('ask again once the cached answer has expired', async () => {
    const predicate = vi.fn<OriginPredicate>(async () => true);
    const policy = compile([predicate], { cacheTtlMs: 20 });
    await decide(policy, 'https://ok.example');
    await new Promise((resolve) => setTimeout(resolve, 40));
    await decide(policy, 'https://ok.example');
    expect(predicate).toHaveBeenCalledTimes(2);
  });

  it('do not cache failures', async () => {
    let calls = 0;
    const flaky: OriginPredicate = async () => {
      calls++;
      if (calls === 1) throw new Error('blip');
      return true;
    };
    const policy = compile([flaky]);
    expect(await decide(policy, 'https://x.example')).toMatchObject({ reason: 'predicate_failed' });
    expect(await decide(policy, 'https://x.example')).toMatchObject({ allowed: true });
  });

  it('run in order: the first true allows, a failure decides at once', async () => {
    const no: OriginPredicate = async () => false;
    const yes: OriginPredicate = async () => true;
    const boom: OriginPredicate = () => {
      throw new Error('x');
    };
    expect(await decide(compile([no, yes]), 'https://x.example')).toMatchObject({
      matchedEntry: '[function yes]',
    });
    expect(await decide(compile([boom, yes]), 'https://x.example')).toMatchObject({
      reason: 'predicate_failed',
    });
  });

  it('property: the cache never changes a verdict', async () => {
    const answer = (origin: string) => origin.length % 3 === 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.constantFrom(
            'https://a.example',
            'https://bb.example',
            'https://ccc.example',
            'https://d.example:8443',
          ),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        async (origins) => {
          const cached = compile([async (o: string) => answer(o)], { cacheMaxEntries: 2 });
          for (const origin of origins) {
            const decision = await decide(cached, origin);
            expect(decision.allowed).toBe(answer(origin.toLowerCase()));
          }
        },
      ),
      propertyRuns(10_000),
    );
  });
});
