import type { OriginDecisionEvent } from '../policy/decision-event.js';
import { type ConfigProblem, renderValue } from '../policy/origin-guard-config.error.js';
import {
  DEFAULT_POLICY_SETTINGS,
  type OriginPolicySettings,
  resolvePolicySettings,
} from '../policy/policy-settings.js';
import type { OriginGuardModuleOptions } from './origin-guard-options.interface.js';

const KNOWN_OPTIONS: ReadonlySet<string> = new Set<keyof OriginGuardModuleOptions>([
  'allowedOrigins',
  'allowMissingOrigin',
  'allowJsonpPolling',
  'upgrades',
  'allowUncheckedGateways',
  'mode',
  'sameOrigin',
  'trustProxy',
  'predicates',
  'onDecision',
  'isGlobal',
]);

/**
 * The module options, read once (the `RESOLVED_OPTIONS` provider) for every part of the
 * module that needs them. `problems` are reported at bootstrap by the policy registry,
 * together with those of the entries, which are checked when the policies are compiled.
 */
export interface ResolvedModuleOptions {
  readonly allowedOrigins: unknown;
  readonly settings: OriginPolicySettings;
  /** engine.io JSONP polling is served (`allowJsonpPolling`). */
  readonly allowJsonpPolling: boolean;
  /** `upgrades`: entry lists by path, each validated when compiled. */
  readonly upgrades: ReadonlyMap<string, unknown>;
  /** `allowUncheckedGateways`. */
  readonly allowUncheckedGateways: boolean;
  /** The validated hook; `undefined` when none, or when it is not a function (a problem). */
  readonly onDecision: ((event: OriginDecisionEvent) => unknown) | undefined;
  readonly problems: readonly ConfigProblem[];
}

/** Injection token of the `ResolvedModuleOptions`. */
export const RESOLVED_OPTIONS = Symbol('nestjs-origin-guard:resolved-options');

/** Checks the shape of the module options and applies the defaults. */
export function resolveModuleOptions(raw: unknown): ResolvedModuleOptions {
  const problems: ConfigProblem[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({
      at: 'options',
      value: renderValue(raw),
      problem: 'is not an options object',
      fix: "pass { allowedOrigins: ['https://app.example.com'] }",
    });
    return {
      allowedOrigins: [],
      settings: DEFAULT_POLICY_SETTINGS,
      allowJsonpPolling: false,
      upgrades: new Map(),
      allowUncheckedGateways: false,
      onDecision: undefined,
      problems,
    };
  }
  const options = raw as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (KNOWN_OPTIONS.has(key)) continue;
    const guess = [...KNOWN_OPTIONS].find((known) =>
      known.toLowerCase().startsWith(key.toLowerCase().slice(0, 6)),
    );
    problems.push({
      at: key,
      value: renderValue(options[key]),
      problem: 'is not an option of OriginGuardModule',
      fix:
        guess === undefined
          ? `remove it (known options: ${[...KNOWN_OPTIONS].join(', ')})`
          : `did you mean "${guess}"?`,
    });
  }
  if (!('allowedOrigins' in options) || options.allowedOrigins === undefined) {
    problems.push({
      at: 'allowedOrigins',
      value: 'undefined',
      problem: 'is required',
      fix: "list the origins of your web pages, e.g. allowedOrigins: ['https://app.example.com']",
    });
  }
  const { settings, problems: settingProblems } = resolvePolicySettings(options);
  problems.push(...settingProblems);
  if (options.onDecision !== undefined && typeof options.onDecision !== 'function') {
    problems.push({
      at: 'onDecision',
      value: renderValue(options.onDecision),
      problem: 'is not a function',
      fix: 'pass (event) => { ... }, called once per decision',
    });
  }
  const flag = (name: string, fix: string): boolean => {
    const value = options[name] ?? false;
    if (typeof value === 'boolean') return value;
    problems.push({ at: name, value: renderValue(value), problem: 'is not a boolean', fix });
    return false;
  };
  return {
    allowedOrigins: options.allowedOrigins ?? [],
    settings,
    allowJsonpPolling: flag(
      'allowJsonpPolling',
      'use false (refuse JSONP polling, the default) or true (serve it to legacy clients)',
    ),
    upgrades: resolveUpgradePaths(options.upgrades, problems),
    allowUncheckedGateways: flag(
      'allowUncheckedGateways',
      'use false (fail when a gateway is not checked, the default) or true (start with a warning)',
    ),
    onDecision:
      typeof options.onDecision === 'function'
        ? (options.onDecision as ResolvedModuleOptions['onDecision'])
        : undefined,
    problems,
  };
}

/** Reads `upgrades`: a plain object whose keys are paths starting with `/`. */
function resolveUpgradePaths(
  raw: unknown,
  problems: ConfigProblem[],
): ReadonlyMap<string, unknown> {
  const paths = new Map<string, unknown>();
  if (raw === undefined) return paths;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({
      at: 'upgrades',
      value: renderValue(raw),
      problem: 'is not an object of paths',
      fix: "write it as { '/graphql': ['https://app.example.com'] }",
    });
    return paths;
  }
  for (const [path, list] of Object.entries(raw)) {
    if (!path.startsWith('/') || /[?#\s]/.test(path)) {
      problems.push({
        at: `upgrades[${JSON.stringify(path)}]`,
        value: renderValue(path),
        problem: 'is not a path (it must start with "/" and have no query, fragment or space)',
        fix: `write it as the path the server routes, e.g. '/${path.replace(/^\/*/, '').replace(/[?#\s].*$/, '')}'`,
      });
      continue;
    }
    paths.set(path, list);
  }
  return paths;
}
