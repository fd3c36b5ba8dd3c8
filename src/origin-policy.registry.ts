import { Logger } from '@nestjs/common';
import { MetadataScanner } from '@nestjs/core';
import { AllowedOriginsMetadata } from './allowed-origins.decorator.js';
import {
  type AllowedOriginsSpec,
  isOriginsProviderClass,
  readAllowedOriginsSpec,
} from './allowed-origins-spec.js';
import {
  describeEndpoint,
  endpointKey,
  endpointOf,
  type GatewayEndpoint,
  readGatewayEndpoint,
  readGatewayNamespace,
} from './gateway-endpoint.js';
import {
  type ConfigProblem,
  OriginGuardConfigError,
  renderValue,
} from './policy/origin-guard-config.error.js';
import { OriginPolicy } from './policy/origin-policy.js';
import { reviewPolicy, summarizePolicy } from './policy/policy-review.js';
import type { OriginPolicySettings } from './policy/policy-settings.js';
import { resolveModuleOptions } from './resolve-module-options.js';
import { describeNamespace, MAIN_NAMESPACE, namespaceKey } from './socket-io/gateway-namespace.js';

/** The handshake policy of one socket server, and the gateways it serves. */
export interface EndpointPolicy {
  readonly endpoint: GatewayEndpoint;
  readonly policy: OriginPolicy;
  /** Class names of the gateways on this endpoint, for log lines. */
  readonly gateways: readonly string[];
  /**
   * The path requests are routed by, when it is not `endpoint.path`: a Socket.IO engine's
   * path (`/socket.io/`). Predicates are given it (see `DecisionScope.path`).
   */
  readonly routedPath?: string;
}

/** Looks up an `OriginsProvider` class in the application (`ModuleRef.get`). */
export type ProviderLookup = (token: Function) => unknown;

/** The gateways of one endpoint and namespace, which must all declare the same policy. */
interface PolicyGroup {
  readonly endpoint: GatewayEndpoint;
  /** `namespaceKey()` of the gateways' Socket.IO namespace; `/` for gateways without one. */
  readonly namespace: string;
  readonly policy: OriginPolicy;
  /** The entries the policy was compiled from (providers resolved), to build an endpoint's union. */
  readonly entries: readonly unknown[];
  readonly gateways: readonly string[];
}

/**
 * Every origin policy of the application, compiled and validated once at bootstrap: the
 * module default, one per gateway endpoint (port + path), one per Socket.IO namespace of an
 * endpoint, and one per `@AllowedOrigins` handler. Adapters and `OriginGuard` only look
 * policies up here.
 *
 * Gateways on one endpoint and namespace must declare the same policy. Gateways that differ
 * only by namespace may differ (only Socket.IO has namespaces; `WsAdapter` refuses them): the
 * endpoint's policy is then the union of theirs, and the Socket.IO adapter narrows each
 * namespace to its own policy.
 *
 * @publicApi
 */
export class OriginPolicyRegistry {
  private static readonly logger = new Logger('OriginGuard');
  /** Compiled `@AllowedOrigins` policies, keyed by the decorator's argument array. */
  private readonly declared = new WeakMap<readonly unknown[], OriginPolicy>();
  /** Keyed by `endpointKey` and `namespaceKey`. */
  private readonly groups = new Map<string, PolicyGroup>();
  /** Keyed by `endpointKey`. */
  private readonly endpoints = new Map<string, EndpointPolicy>();

  private constructor(
    readonly defaultPolicy: OriginPolicy,
    private readonly defaultEntries: readonly unknown[],
    private readonly settings: OriginPolicySettings,
    /** engine.io JSONP polling is served (`allowJsonpPolling`); refused otherwise. */
    readonly allowJsonpPolling: boolean,
  ) {}

  /**
   * Builds the registry from the module options and the application's gateway classes,
   * resolving `OriginsProvider` classes through `lookup`.
   *
   * @throws OriginGuardConfigError listing every invalid entry, and gateways that share an
   *   endpoint with different policies.
   */
  static async build(
    rawOptions: unknown,
    gateways: readonly Function[],
    lookup: ProviderLookup = () => undefined,
  ): Promise<OriginPolicyRegistry> {
    const { options, problems } = resolveModuleOptions(rawOptions);
    const defaultEntries = Array.isArray(options.allowedOrigins) ? options.allowedOrigins : [];
    const compiled = OriginPolicy.compile(
      options.allowedOrigins,
      options.settings,
      'allowedOrigins',
    );
    problems.push(...compiled.problems);
    const registry = new OriginPolicyRegistry(
      compiled.policy,
      defaultEntries,
      options.settings,
      options.allowJsonpPolling,
    );
    await registry.addGateways(gateways, lookup, problems);
    registry.buildEndpoints(problems);
    if (problems.length > 0) {
      throw new OriginGuardConfigError('OriginGuardModule', problems);
    }
    registry.logEffectivePolicies();
    return registry;
  }

  /**
   * The handshake policy of the socket server created for `port` and the gateway `path`
   * option. When its gateways differ by Socket.IO namespace, it accepts an origin that any of
   * their policies accepts.
   */
  forEndpoint(port: number, path: unknown): EndpointPolicy {
    const endpoint = endpointOf(port, path);
    return (
      this.endpoints.get(endpointKey(endpoint)) ?? {
        endpoint,
        policy: this.defaultPolicy,
        gateways: [],
      }
    );
  }

  /**
   * The policy of the gateways serving `namespace` (as written in the gateway options, or as
   * Nest passes it to the adapter) on that endpoint, or `undefined` when no gateway serves it.
   */
  forNamespace(port: number, path: unknown, namespace: unknown): EndpointPolicy | undefined {
    const group = this.groups.get(groupKey(endpointOf(port, path), namespaceKey(namespace)));
    return group === undefined
      ? undefined
      : { endpoint: group.endpoint, policy: group.policy, gateways: group.gateways };
  }

  /**
   * The policy of an `@AllowedOrigins` argument list read from a handler or class (the same
   * array object every time), or the module default when there is none.
   */
  forDeclared(args: readonly unknown[] | undefined): OriginPolicy {
    if (args === undefined) return this.defaultPolicy;
    let policy = this.declared.get(args);
    if (policy === undefined) {
      // Not seen at bootstrap (the guard on a class that is not a gateway): compile it now,
      // without OriginsProvider support, which needs the bootstrap's dependency injection.
      const problems: ConfigProblem[] = [];
      const spec = readAllowedOriginsSpec(args, '@AllowedOrigins()', problems);
      const provider = spec.entries.find(isOriginsProviderClass);
      if (provider !== undefined) {
        problems.push({
          at: '@AllowedOrigins()',
          value: renderValue(provider),
          problem:
            'names an OriginsProvider outside a gateway, where it cannot be resolved at bootstrap',
          fix: 'use OriginsProvider classes on gateway classes and their handlers only',
        });
      }
      policy = this.compileSpec(spec, spec.entries, '@AllowedOrigins()', problems);
      if (problems.length > 0) throw new OriginGuardConfigError('OriginGuard', problems);
      this.declared.set(args, policy);
    }
    return policy;
  }

  /** Compiles each gateway's class and handler policies and groups class policies by endpoint and namespace. */
  private async addGateways(
    gateways: readonly Function[],
    lookup: ProviderLookup,
    problems: ConfigProblem[],
  ): Promise<void> {
    const scanner = new MetadataScanner();
    for (const gateway of gateways) {
      const classArgs = readDeclaredArgs(gateway);
      let policy = this.defaultPolicy;
      let entries = this.defaultEntries;
      if (classArgs !== undefined) {
        const compiled = await this.compileDeclared(
          classArgs,
          `@AllowedOrigins() on ${gateway.name}`,
          lookup,
          problems,
        );
        policy = compiled.policy;
        entries = compiled.entries;
      }
      for (const method of scanner.getAllMethodNames(gateway.prototype)) {
        const args = readDeclaredArgs(gateway.prototype[method]);
        if (args !== undefined) {
          await this.compileDeclared(
            args,
            `@AllowedOrigins() on ${gateway.name}.${method}()`,
            lookup,
            problems,
          );
        }
      }
      const endpoint = readGatewayEndpoint(gateway);
      const namespace = namespaceKey(readGatewayNamespace(gateway));
      const key = groupKey(endpoint, namespace);
      const existing = this.groups.get(key);
      if (existing === undefined) {
        this.groups.set(key, { endpoint, namespace, policy, entries, gateways: [gateway.name] });
      } else if (existing.policy.fingerprint === policy.fingerprint) {
        this.groups.set(key, { ...existing, gateways: [...existing.gateways, gateway.name] });
      } else {
        problems.push(conflict(existing, gateway.name));
      }
    }
  }

  /** Reads, resolves and compiles one `@AllowedOrigins(...)`, and remembers the result. */
  private async compileDeclared(
    args: readonly unknown[],
    at: string,
    lookup: ProviderLookup,
    problems: ConfigProblem[],
  ): Promise<{ policy: OriginPolicy; entries: readonly unknown[] }> {
    const spec = readAllowedOriginsSpec(args, at, problems);
    const own = await resolveProviders(spec.entries, at, lookup, problems);
    const entries = spec.merge === 'extend' ? [...this.defaultEntries, ...own] : own;
    const policy = this.compileSpec(spec, own, at, problems);
    this.declared.set(args, policy);
    return { policy, entries };
  }

  private compileSpec(
    spec: AllowedOriginsSpec,
    own: readonly unknown[],
    at: string,
    problems: ConfigProblem[],
  ): OriginPolicy {
    const settings =
      spec.mode === undefined ? this.settings : { ...this.settings, mode: spec.mode };
    const list = spec.merge === 'extend' ? [...this.defaultEntries, ...own] : own;
    const compiled = OriginPolicy.compile(list, settings, at);
    // With 'extend', the module's own entries were already reported under allowedOrigins.
    const offset = spec.merge === 'extend' ? this.defaultEntries.length : 0;
    problems.push(
      ...compiled.problems.map((p) =>
        offset === 0 ? p : { ...p, at: shiftIndex(p.at, at, offset) },
      ),
    );
    return compiled.policy;
  }

  /**
   * One handshake policy per endpoint: the policy its gateways share, or, when they differ by
   * namespace, one compiled from all their entries, so that a handshake is still decided once.
   * If any of those namespaces only reports, so does the union: an origin only that namespace
   * would refuse must still reach it.
   */
  private buildEndpoints(problems: ConfigProblem[]): void {
    const byEndpoint = new Map<string, PolicyGroup[]>();
    for (const group of this.groups.values()) {
      const key = endpointKey(group.endpoint);
      byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), group]);
    }
    for (const [key, groups] of byEndpoint) {
      const [first] = groups as [PolicyGroup, ...PolicyGroup[]];
      const gateways = groups.flatMap((g) => g.gateways);
      let policy = first.policy;
      if (groups.some((g) => g.policy.fingerprint !== first.policy.fingerprint)) {
        const at = `@AllowedOrigins() of ${gateways.join(', ')} (${describeEndpoint(first.endpoint)})`;
        const reportOnly = groups.some((g) => g.policy.settings.mode === 'report-only');
        const settings = reportOnly
          ? { ...this.settings, mode: 'report-only' as const }
          : this.settings;
        const union = OriginPolicy.compile(
          groups.flatMap((g) => g.entries),
          settings,
          at,
        );
        problems.push(...union.problems);
        policy = union.policy;
      }
      this.endpoints.set(key, { endpoint: first.endpoint, policy, gateways });
    }
  }

  /** Logs each gateway's effective policy once, and warns about risky ones. */
  private logEffectivePolicies(): void {
    const logger = OriginPolicyRegistry.logger;
    const reviewed = new Set<OriginPolicy>();
    const review = (where: string, policy: OriginPolicy) => {
      if (reviewed.has(policy)) return;
      reviewed.add(policy);
      for (const warning of reviewPolicy(policy)) logger.warn(`${where} ${warning}`);
    };
    review('allowedOrigins', this.defaultPolicy);
    if (this.allowJsonpPolling) {
      logger.warn(
        'allowJsonpPolling: true serves engine.io JSONP polling: a <script> tag on any site can open a Socket.IO session ' +
          "with the user's cookies and no Origin. Fetch Metadata still refuses modern browsers over https and localhost; " +
          'over plain http nothing does. Remove it unless legacy clients need JSONP.',
      );
    }
    for (const { endpoint, namespace, policy, gateways } of this.groups.values()) {
      const where =
        namespace === MAIN_NAMESPACE
          ? describeEndpoint(endpoint)
          : `${describeEndpoint(endpoint)}, ${describeNamespace(namespace)}`;
      logger.log(`${gateways.join(', ')} (${where}): ${summarizePolicy(policy)}`);
      review(`@AllowedOrigins() of ${gateways.join(', ')} (${where})`, policy);
    }
  }
}

async function resolveProviders(
  entries: readonly unknown[],
  at: string,
  lookup: ProviderLookup,
  problems: ConfigProblem[],
): Promise<unknown[]> {
  const resolved: unknown[] = [];
  for (const [index, entry] of entries.entries()) {
    if (!isOriginsProviderClass(entry)) {
      resolved.push(entry);
      continue;
    }
    const where = `${at}[${index}]`;
    let instance: unknown;
    try {
      instance = lookup(entry);
    } catch {
      instance = undefined;
    }
    if (instance === undefined || instance === null) {
      problems.push({
        at: where,
        value: renderValue(entry),
        problem: `names the OriginsProvider ${entry.name}, which is not a provider of the application`,
        fix: `add ${entry.name} to the providers of a module`,
      });
      continue;
    }
    try {
      const origins: unknown = await (
        instance as { getAllowedOrigins(): unknown }
      ).getAllowedOrigins();
      if (Array.isArray(origins)) resolved.push(...(origins as unknown[]));
      else {
        problems.push({
          at: where,
          value: renderValue(entry),
          problem: `returned ${renderValue(origins)} from getAllowedOrigins(), not an array`,
          fix: "return a list such as ['https://tenant.example.com']",
        });
      }
    } catch (error) {
      problems.push({
        at: where,
        value: renderValue(entry),
        problem: `failed in getAllowedOrigins(): ${(error as Error)?.message ?? String(error)}`,
        fix: 'make getAllowedOrigins() succeed at bootstrap, or return a predicate that looks origins up later',
      });
    }
  }
  return resolved;
}

/** Maps `at[7]` of a merged list back to the decorator's own index. */
function shiftIndex(located: string, at: string, offset: number): string {
  const match = /\[(\d+)\]$/.exec(located);
  return match === null ? located : `${at}[${Number(match[1]) - offset}]`;
}

function groupKey(endpoint: GatewayEndpoint, namespace: string): string {
  return `${endpointKey(endpoint)}|${namespace}`;
}

function conflict(existing: PolicyGroup, gateway: string): ConfigProblem {
  const at = `${existing.gateways.join(', ')} and ${gateway}`;
  const value = describeEndpoint(existing.endpoint);
  if (existing.namespace === MAIN_NAMESPACE) {
    return {
      at,
      value,
      problem:
        'share one socket server but declare different @AllowedOrigins, and one server cannot enforce two handshake policies',
      fix: 'give them the same @AllowedOrigins, or put them on different paths',
    };
  }
  return {
    at,
    value: `${value}, ${describeNamespace(existing.namespace)}`,
    problem:
      'share one Socket.IO namespace but declare different @AllowedOrigins, and one namespace cannot enforce two handshake policies',
    fix: 'give them the same @AllowedOrigins, or put them in different namespaces',
  };
}

function readDeclaredArgs(target: unknown): readonly unknown[] | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(AllowedOriginsMetadata.KEY, target) as readonly unknown[] | undefined;
}
