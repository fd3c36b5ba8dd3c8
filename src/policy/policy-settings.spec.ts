import { describe, expect, it } from 'vitest';
import { DEFAULT_PREDICATE_SETTINGS } from './origin-predicate.js';
import { DEFAULT_POLICY_SETTINGS, resolvePolicySettings } from './policy-settings.js';

function problemsOf(options: Record<string, unknown>): string[] {
  return resolvePolicySettings(options).problems.map(
    (p) => `${p.at} = ${p.value}: ${p.problem}. Fix: ${p.fix}.`,
  );
}

const NOT_A_HOP_COUNT = `is not a hop count or a list of proxy addresses. Fix: use a number of proxies (e.g. 1) or addresses/CIDRs (e.g. ['loopback', '10.0.0.0/8']).`;
const NO_HOSTS = `does not say which hosts are the app's own. Fix: use { hosts: ['app.example.com'] } (DNS-rebinding defense), or { hosts: 'any' } to opt out of it.`;
const NOT_A_WHOLE_NUMBER = 'is not a whole number of at least 1. Fix: use a positive integer';

describe('resolvePolicySettings', () => {
  it('applies the defaults to an empty input', () => {
    expect(resolvePolicySettings({})).toEqual({ settings: DEFAULT_POLICY_SETTINGS, problems: [] });
  });

  it('takes each valid setting', () => {
    const { settings, problems } = resolvePolicySettings({
      allowMissingOrigin: false,
      mode: 'report-only',
      sameOrigin: { hosts: ['App.Example.com', 'localhost:3000'] },
      predicates: { timeoutMs: 1, cacheTtlMs: 10, cacheMaxEntries: 3, onFailure: 'allow' },
    });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      allowMissingOrigin: false,
      mode: 'report-only',
      sameOrigin: { hosts: new Set(['app.example.com', 'localhost:3000']) },
      trustProxy: undefined,
      predicates: { timeoutMs: 1, cacheTtlMs: 10, cacheMaxEntries: 3, onFailure: 'allow' },
    });
  });

  it('keeps the other predicate settings of the base when one is given', () => {
    expect(resolvePolicySettings({ mode: 'enforce', predicates: { onFailure: 'refuse' } })).toEqual(
      { settings: DEFAULT_POLICY_SETTINGS, problems: [] },
    );
    expect(DEFAULT_POLICY_SETTINGS.predicates).toEqual(DEFAULT_PREDICATE_SETTINGS);
    const over = resolvePolicySettings(
      { predicates: { cacheTtlMs: 5 } },
      { ...DEFAULT_POLICY_SETTINGS, predicates: { ...DEFAULT_PREDICATE_SETTINGS, timeoutMs: 7 } },
    );
    expect(over).toEqual({
      settings: expect.objectContaining({
        predicates: { ...DEFAULT_PREDICATE_SETTINGS, timeoutMs: 7, cacheTtlMs: 5 },
      }),
      problems: [],
    });
  });

  it('turns same-origin off with false, and on for any host with "any"', () => {
    const on = resolvePolicySettings({ sameOrigin: { hosts: ['a.example'] } }).settings;
    expect(resolvePolicySettings({ sameOrigin: false }, on)).toEqual({
      settings: { ...on, sameOrigin: undefined },
      problems: [],
    });
    expect(resolvePolicySettings({ sameOrigin: { hosts: 'any' } }).settings.sameOrigin).toEqual({
      hosts: 'any',
    });
  });

  it.each([0, 1, 3, 'loopback', 'loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8'], []])(
    'accepts trustProxy %j',
    (trustProxy) => {
      const { settings, problems } = resolvePolicySettings({ trustProxy });
      expect(problems).toEqual([]);
      expect(settings.trustProxy).toBeTypeOf('function');
    },
  );

  it.each([
    [
      { allowMissingOrigin: 'yes' },
      `allowMissingOrigin = "yes": is not a boolean. Fix: use true (accept clients that send no Origin) or false (refuse them).`,
    ],
    [{ trustProxy: -1 }, `trustProxy = -1: ${NOT_A_HOP_COUNT}`],
    [{ trustProxy: 1.5 }, `trustProxy = 1.5: ${NOT_A_HOP_COUNT}`],
    [{ trustProxy: ['loopback', 5] }, `trustProxy = ["loopback",5]: ${NOT_A_HOP_COUNT}`],
    [{ trustProxy: {} }, `trustProxy = {}: ${NOT_A_HOP_COUNT}`],
    [{ sameOrigin: {} }, `sameOrigin = {}: ${NO_HOSTS}`],
    [{ sameOrigin: null }, `sameOrigin = null: ${NO_HOSTS}`],
    [{ sameOrigin: 'app.example.com' }, `sameOrigin = "app.example.com": ${NO_HOSTS}`],
    [
      { sameOrigin: Object.assign(() => true, { hosts: ['app.example.com'] }) },
      `sameOrigin = [function anonymous]: ${NO_HOSTS}`,
    ],
    [
      { sameOrigin: { hosts: [] } },
      `sameOrigin = {"hosts":[]}: has no list of hosts. Fix: list them: { hosts: ['app.example.com'] }.`,
    ],
    [
      { sameOrigin: { hosts: 'app.example.com' } },
      `sameOrigin = {"hosts":"app.example.com"}: has no list of hosts. Fix: list them: { hosts: ['app.example.com'] }.`,
    ],
    [
      { sameOrigin: { hosts: [['app.example.com']] } },
      `sameOrigin = {"hosts":[["app.example.com"]]}: has the host ["app.example.com"], which is not a host name or host:port. Fix: write hosts as they appear in the Host header, e.g. 'app.example.com' or 'localhost:3000'.`,
    ],
    [
      { predicates: 5 },
      'predicates = 5: is not an object. Fix: pass { timeoutMs, cacheTtlMs, cacheMaxEntries, onFailure }.',
    ],
    [
      { predicates: null },
      'predicates = null: is not an object. Fix: pass { timeoutMs, cacheTtlMs, cacheMaxEntries, onFailure }.',
    ],
    [
      { predicates: { timeoutMs: 1.5 } },
      `predicates.timeoutMs = 1.5: ${NOT_A_WHOLE_NUMBER} (default 2000).`,
    ],
    [
      { predicates: { cacheTtlMs: '5' } },
      `predicates.cacheTtlMs = "5": ${NOT_A_WHOLE_NUMBER} (default 60000).`,
    ],
    [
      { predicates: { cacheMaxEntries: 0 } },
      `predicates.cacheMaxEntries = 0: ${NOT_A_WHOLE_NUMBER} (default 10000).`,
    ],
  ])('%j', (options, expected) => {
    expect(problemsOf(options)).toEqual([expected]);
  });

  it('locates problems under the given prefix', () => {
    expect(
      resolvePolicySettings(
        { mode: 'x', predicates: { onFailure: 'x' } },
        undefined,
        'gateway.',
      ).problems.map((p) => p.at),
    ).toEqual(['gateway.mode', 'gateway.predicates.onFailure']);
  });
});
