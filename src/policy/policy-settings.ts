import { type ConfigProblem, renderValue } from './origin-guard-config.error.js';
import { DEFAULT_PREDICATE_SETTINGS, type PredicateSettings } from './origin-predicate.js';
import { isOriginSyntaxError, parseSerializedOrigin } from './serialized-origin.js';
import { compileTrustProxy, type TrustProxy } from './request-origin.js';

/**
 * `enforce` refuses; `report-only` runs the same decision, accepts the connection and logs
 * what it would have refused.
 *
 * @example
 * ```ts
 * OriginGuardModule.forRoot({ allowedOrigins, mode: 'report-only' });
 * ```
 * @publicApi
 */
export type OriginCheckMode = 'enforce' | 'report-only';

/**
 * Allow an `Origin` equal to the request's own origin (its scheme and `Host`). The `Host` must
 * then be one of `hosts` (the app's own names), because with DNS rebinding an attacker's page
 * is served under the attacker's host name yet reaches this server, and is then "same-origin".
 * `hosts: 'any'` opts out of that defense explicitly.
 *
 * @example { hosts: ['app.example.com', 'localhost:3000'] }
 * @publicApi
 */
export interface SameOriginOptions {
  readonly hosts: readonly string[] | 'any';
}

export interface OriginPolicySettings {
  readonly allowMissingOrigin: boolean;
  readonly mode: OriginCheckMode;
  /** `hosts` is lower-cased `host[:port]` authorities; `undefined` when same-origin is off. */
  readonly sameOrigin: { readonly hosts: ReadonlySet<string> | 'any' } | undefined;
  readonly trustProxy: TrustProxy | undefined;
  readonly predicates: PredicateSettings;
}

export const DEFAULT_POLICY_SETTINGS: OriginPolicySettings = {
  allowMissingOrigin: true,
  mode: 'enforce',
  sameOrigin: undefined,
  trustProxy: undefined,
  predicates: DEFAULT_PREDICATE_SETTINGS,
};

/** The raw options this layer reads (the module validates the rest). */
export interface PolicySettingsInput {
  readonly allowMissingOrigin?: unknown;
  readonly mode?: unknown;
  readonly sameOrigin?: unknown;
  readonly trustProxy?: unknown;
  readonly predicates?: unknown;
}

const MODES: readonly OriginCheckMode[] = ['enforce', 'report-only'];

/** Validates the policy options and applies the defaults, collecting every problem. */
export function resolvePolicySettings(
  input: PolicySettingsInput,
  base: OriginPolicySettings = DEFAULT_POLICY_SETTINGS,
  at = '',
): { settings: OriginPolicySettings; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (name: string, value: unknown, what: string, fix: string) =>
    problems.push({ at: `${at}${name}`, value: renderValue(value), problem: what, fix });

  let allowMissingOrigin = base.allowMissingOrigin;
  if (input.allowMissingOrigin !== undefined) {
    if (typeof input.allowMissingOrigin === 'boolean')
      allowMissingOrigin = input.allowMissingOrigin;
    else
      problem(
        'allowMissingOrigin',
        input.allowMissingOrigin,
        'is not a boolean',
        'use true (accept clients that send no Origin) or false (refuse them)',
      );
  }

  let mode = base.mode;
  if (input.mode !== undefined) {
    if (MODES.includes(input.mode as OriginCheckMode)) mode = input.mode as OriginCheckMode;
    else problem('mode', input.mode, 'is not a mode', "use 'enforce' or 'report-only'");
  }

  let sameOrigin = base.sameOrigin;
  if (input.sameOrigin !== undefined) {
    const resolved = resolveSameOrigin(input.sameOrigin);
    if ('fix' in resolved) problem('sameOrigin', input.sameOrigin, resolved.problem, resolved.fix);
    else sameOrigin = resolved.value;
  }

  let trustProxy = base.trustProxy;
  if (input.trustProxy !== undefined) {
    const value = input.trustProxy;
    const valid =
      (typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
      typeof value === 'string' ||
      (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!valid) {
      problem(
        'trustProxy',
        value,
        'is not a hop count or a list of proxy addresses',
        "use a number of proxies (e.g. 1) or addresses/CIDRs (e.g. ['loopback', '10.0.0.0/8'])",
      );
    } else {
      try {
        trustProxy = compileTrustProxy(value);
      } catch (error) {
        problem(
          'trustProxy',
          value,
          `is not understood (${(error as Error).message})`,
          "use addresses or CIDRs such as '10.0.0.0/8', or 'loopback'",
        );
      }
    }
  }

  let predicates = base.predicates;
  if (input.predicates !== undefined) {
    const resolved = resolvePredicateSettings(input.predicates, base.predicates, `${at}predicates`);
    problems.push(...resolved.problems);
    predicates = resolved.settings;
  }

  return { settings: { allowMissingOrigin, mode, sameOrigin, trustProxy, predicates }, problems };
}

function resolveSameOrigin(
  value: unknown,
): { value: OriginPolicySettings['sameOrigin'] } | { problem: string; fix: string } {
  if (value === false) return { value: undefined };
  const hosts = (value as { hosts?: unknown } | null)?.hosts;
  if (typeof value !== 'object' || value === null || hosts === undefined) {
    return {
      problem: "does not say which hosts are the app's own",
      fix: "use { hosts: ['app.example.com'] } (DNS-rebinding defense), or { hosts: 'any' } to opt out of it",
    };
  }
  if (hosts === 'any') return { value: { hosts: 'any' } };
  if (!Array.isArray(hosts) || hosts.length === 0) {
    return { problem: 'has no list of hosts', fix: "list them: { hosts: ['app.example.com'] }" };
  }
  const bad = hosts.find(
    (h) => typeof h !== 'string' || isOriginSyntaxError(parseSerializedOrigin(`http://${h}`)),
  );
  if (bad !== undefined) {
    const problem = `has the host ${renderValue(bad)}, which is not a host name or host:port`;
    // An origin pasted where a host belongs: its host is what was meant.
    const host =
      typeof bad === 'string' ? /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(bad)?.[1] : undefined;
    if (host !== undefined && !isOriginSyntaxError(parseSerializedOrigin(`http://${host}`))) {
      const fix = `write hosts as they appear in the Host header, without the scheme: '${host.toLowerCase()}'`;
      return { problem, fix };
    }
    return {
      problem,
      fix: "write hosts as they appear in the Host header, e.g. 'app.example.com' or 'localhost:3000'",
    };
  }
  return { value: { hosts: new Set((hosts as string[]).map((h) => h.toLowerCase())) } };
}

function resolvePredicateSettings(
  value: unknown,
  base: PredicateSettings,
  at: string,
): { settings: PredicateSettings; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (typeof value !== 'object' || value === null) {
    problems.push({
      at,
      value: renderValue(value),
      problem: 'is not an object',
      fix: 'pass { timeoutMs, cacheTtlMs, cacheMaxEntries, onFailure }',
    });
    return { settings: base, problems };
  }
  const input = value as Record<string, unknown>;
  const settings: Record<string, unknown> = { ...base };
  for (const [name, raw] of Object.entries(input)) {
    if (name === 'onFailure') {
      if (raw === 'refuse' || raw === 'allow') settings[name] = raw;
      else
        problems.push({
          at: `${at}.${name}`,
          value: renderValue(raw),
          problem: 'is not a failure policy',
          fix: "use 'refuse' (fail closed) or 'allow' (fail open)",
        });
    } else if (name === 'timeoutMs' || name === 'cacheTtlMs' || name === 'cacheMaxEntries') {
      if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1) settings[name] = raw;
      else
        problems.push({
          at: `${at}.${name}`,
          value: renderValue(raw),
          problem: 'is not a whole number of at least 1',
          fix: `use a positive integer (default ${base[name]})`,
        });
    } else {
      problems.push({
        at: `${at}.${name}`,
        value: renderValue(raw),
        problem: 'is not a predicate setting',
        fix: 'remove it (known: timeoutMs, cacheTtlMs, cacheMaxEntries, onFailure)',
      });
    }
  }
  return { settings: settings as unknown as PredicateSettings, problems };
}
