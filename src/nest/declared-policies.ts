import {
  type ConfigProblem,
  OriginGuardConfigError,
  renderValue,
} from '../policy/origin-guard-config.error.js';
import { OriginPolicy } from '../policy/origin-policy.js';
import type { OriginPolicySettings } from '../policy/policy-settings.js';
import {
  type AllowedOriginsArgs,
  isOriginsProviderClass,
  readAllowedOriginsArgs,
} from './allowed-origins-args.js';
import {
  type ProviderLookup,
  type ResolvedEntries,
  resolveOriginsProviders,
} from './origins-provider-resolver.js';

/** One compiled `@AllowedOrigins(...)`, with the entries it was compiled from. */
export interface DeclaredPolicy {
  readonly policy: OriginPolicy;
  /** Providers resolved and `extend` applied: what a union with other policies is built from. */
  readonly entries: readonly unknown[];
  /** For each entry, the `OriginsProvider` class it came from, if any (for the startup log). */
  readonly providers: readonly (string | undefined)[];
}

/**
 * The module's policy and every `@AllowedOrigins(...)` of the application, compiled once at
 * bootstrap. Each decorator's argument array is the same object every time it is read, so
 * `OriginGuard` finds the handler policies compiled here by identity.
 */
export class DeclaredPolicies {
  private readonly compiled = new WeakMap<readonly unknown[], OriginPolicy>();

  constructor(
    readonly defaultPolicy: OriginPolicy,
    readonly defaultEntries: readonly unknown[],
    readonly settings: OriginPolicySettings,
  ) {}

  /** Reads, resolves and compiles one decorator's arguments, collecting problems at `at`. */
  async compile(
    args: readonly unknown[],
    at: string,
    lookup: ProviderLookup,
    problems: ConfigProblem[],
  ): Promise<DeclaredPolicy> {
    const read = readAllowedOriginsArgs(args, at, problems);
    const own = await resolveOriginsProviders(read.entries, at, lookup, problems);
    const declared = this.compileRead(read, own, at, problems);
    this.compiled.set(args, declared.policy);
    return declared;
  }

  /**
   * The policy of a decorator's arguments, or the module's when there are none. Every
   * gateway's decorators were compiled at bootstrap; one that was not (the guard on a class
   * Nest did not register as a gateway) is compiled now, without `OriginsProvider` support,
   * which needs the bootstrap's dependency injection.
   */
  policyOf(args: readonly unknown[] | undefined): OriginPolicy {
    if (args === undefined) return this.defaultPolicy;
    const known = this.compiled.get(args);
    if (known !== undefined) return known;
    const problems: ConfigProblem[] = [];
    const at = '@AllowedOrigins()';
    const read = readAllowedOriginsArgs(args, at, problems);
    const provider = read.entries.find(isOriginsProviderClass);
    if (provider !== undefined) {
      problems.push({
        at,
        value: renderValue(provider),
        problem:
          'names an OriginsProvider outside a gateway, where it cannot be resolved at bootstrap',
        fix: 'use OriginsProvider classes on gateway classes and their handlers only',
      });
    }
    const { policy } = this.compileRead(
      read,
      { entries: read.entries, providers: [] },
      at,
      problems,
    );
    if (problems.length > 0) throw new OriginGuardConfigError('OriginGuard', problems);
    this.compiled.set(args, policy);
    return policy;
  }

  /** A policy accepting what any of `declared` accepts, reporting only if any of them does. */
  union(declared: readonly DeclaredPolicy[], at: string, problems: ConfigProblem[]): OriginPolicy {
    const reportOnly = declared.some((d) => d.policy.settings.mode === 'report-only');
    const settings = reportOnly
      ? { ...this.settings, mode: 'report-only' as const }
      : this.settings;
    const union = OriginPolicy.compile(
      declared.flatMap((d) => d.entries),
      settings,
      at,
    );
    problems.push(...union.problems);
    return union.policy;
  }

  private compileRead(
    read: AllowedOriginsArgs,
    own: ResolvedEntries,
    at: string,
    problems: ConfigProblem[],
  ): DeclaredPolicy {
    const settings =
      read.mode === undefined ? this.settings : { ...this.settings, mode: read.mode };
    const extend = read.merge === 'extend';
    const entries = extend ? [...this.defaultEntries, ...own.entries] : own.entries;
    const providers = extend
      ? [...this.defaultEntries.map(() => undefined), ...own.providers]
      : own.providers;
    const compiled = OriginPolicy.compile(entries, settings, at);
    // With 'extend', the module's own entries were already reported under allowedOrigins.
    const offset = extend ? this.defaultEntries.length : 0;
    problems.push(
      ...compiled.problems.map((p) =>
        offset === 0 ? p : { ...p, at: shiftIndex(p.at, at, offset) },
      ),
    );
    return { policy: compiled.policy, entries, providers };
  }
}

/** Maps `at[7]` of a merged list back to the decorator's own index. */
function shiftIndex(located: string, at: string, offset: number): string {
  const match = /\[(\d+)\]$/.exec(located);
  return match === null ? located : `${at}[${Number(match[1]) - offset}]`;
}
