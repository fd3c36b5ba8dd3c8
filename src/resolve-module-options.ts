import type { OriginGuardModuleOptions } from './origin-guard-options.interface.js';
import { type ConfigProblem, renderValue } from './policy/origin-guard-config.error.js';
import {
  DEFAULT_POLICY_SETTINGS,
  type OriginPolicySettings,
  resolvePolicySettings,
} from './policy/policy-settings.js';

const KNOWN_OPTIONS: ReadonlySet<string> = new Set<keyof OriginGuardModuleOptions>([
  'allowedOrigins',
  'allowMissingOrigin',
  'allowJsonpPolling',
  'mode',
  'sameOrigin',
  'trustProxy',
  'predicates',
  'onDecision',
  'isGlobal',
]);

export interface ResolvedModuleOptions {
  readonly allowedOrigins: unknown;
  readonly settings: OriginPolicySettings;
  /** engine.io JSONP polling is served (`allowJsonpPolling`). */
  readonly allowJsonpPolling: boolean;
}

/**
 * Checks the shape of the module options (the entries themselves are checked when the policy
 * is compiled) and applies the defaults.
 */
export function resolveModuleOptions(raw: unknown): {
  options: ResolvedModuleOptions;
  problems: ConfigProblem[];
} {
  const problems: ConfigProblem[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({
      at: 'options',
      value: renderValue(raw),
      problem: 'is not an options object',
      fix: "pass { allowedOrigins: ['https://app.example.com'] }",
    });
    return {
      options: { allowedOrigins: [], settings: DEFAULT_POLICY_SETTINGS, allowJsonpPolling: false },
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
  const allowJsonpPolling = options.allowJsonpPolling ?? false;
  if (typeof allowJsonpPolling !== 'boolean') {
    problems.push({
      at: 'allowJsonpPolling',
      value: renderValue(options.allowJsonpPolling),
      problem: 'is not a boolean',
      fix: 'use false (refuse JSONP polling, the default) or true (serve it to legacy clients)',
    });
  }
  return {
    options: {
      allowedOrigins: options.allowedOrigins ?? [],
      settings,
      allowJsonpPolling: allowJsonpPolling === true,
    },
    problems,
  };
}
