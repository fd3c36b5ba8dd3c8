import { Logger } from '@nestjs/common';
import { MetadataScanner } from '@nestjs/core';
import { AllowedOriginsMetadata } from './allowed-origins.decorator.js';
import {
  describeEndpoint,
  endpointKey,
  endpointOf,
  type GatewayEndpoint,
  readGatewayEndpoint,
} from './gateway-endpoint.js';
import { type ConfigProblem, OriginGuardConfigError } from './policy/origin-guard-config.error.js';
import { OriginPolicy, type OriginPolicySettings } from './policy/origin-policy.js';
import { resolveModuleOptions } from './resolve-module-options.js';
import {
  describeNamespace,
  MAIN_NAMESPACE,
  namespaceKey,
  readGatewayNamespace,
} from './socket-io/gateway-namespace.js';

/** The handshake policy of one socket server, and the gateways it serves. */
export interface EndpointPolicy {
  readonly endpoint: GatewayEndpoint;
  readonly policy: OriginPolicy;
  /** Class names of the gateways on this endpoint, for log lines. */
  readonly gateways: readonly string[];
}

/** The gateways of one endpoint and namespace, which must all declare the same policy. */
interface PolicyGroup {
  readonly endpoint: GatewayEndpoint;
  /** `namespaceKey()` of the gateways' Socket.IO namespace; `/` for gateways without one. */
  readonly namespace: string;
  readonly policy: OriginPolicy;
  /** The configured entries the policy was compiled from, to build an endpoint's union. */
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
  private readonly handlerPolicies = new WeakMap<readonly unknown[], OriginPolicy>();
  /** Keyed by `endpointKey` and `namespaceKey`. */
  private readonly groups = new Map<string, PolicyGroup>();
  /** Keyed by `endpointKey`. */
  private readonly endpoints = new Map<string, EndpointPolicy>();

  private constructor(
    readonly defaultPolicy: OriginPolicy,
    private readonly settings: OriginPolicySettings,
  ) {}

  /**
   * Builds the registry from the module options and the application's gateway classes.
   *
   * @throws OriginGuardConfigError listing every invalid entry, and gateways that share an
   *   endpoint with different policies.
   */
  static build(rawOptions: unknown, gateways: readonly Function[]): OriginPolicyRegistry {
    const { options, problems } = resolveModuleOptions(rawOptions);
    const compiled = OriginPolicy.compile(
      options.allowedOrigins,
      options.settings,
      'allowedOrigins',
    );
    problems.push(...compiled.problems);
    const registry = new OriginPolicyRegistry(compiled.policy, options.settings);
    const defaultEntries = Array.isArray(options.allowedOrigins) ? options.allowedOrigins : [];
    registry.addGateways(gateways, defaultEntries, problems);
    registry.buildEndpoints(problems);
    if (problems.length > 0) {
      throw new OriginGuardConfigError('OriginGuardModule', problems);
    }
    registry.warnAboutRiskyPolicies();
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
   * The policy for `@AllowedOrigins` entries read from a handler or class (the same array
   * object every time), or the module default when there are none.
   */
  forEntries(entries: readonly unknown[] | undefined): OriginPolicy {
    if (entries === undefined) return this.defaultPolicy;
    let policy = this.handlerPolicies.get(entries);
    if (policy === undefined) {
      const compiled = OriginPolicy.compile(entries, this.settings, '@AllowedOrigins()');
      if (compiled.problems.length > 0) {
        throw new OriginGuardConfigError('OriginGuard', compiled.problems);
      }
      policy = compiled.policy;
      this.handlerPolicies.set(entries, policy);
    }
    return policy;
  }

  /** Compiles each gateway's class and handler policies and groups class policies by endpoint and namespace. */
  private addGateways(
    gateways: readonly Function[],
    defaultEntries: readonly unknown[],
    problems: ConfigProblem[],
  ): void {
    const scanner = new MetadataScanner();
    for (const gateway of gateways) {
      const classEntries = readAllowedOrigins(gateway);
      const policy =
        classEntries === undefined
          ? this.defaultPolicy
          : this.compileInto(classEntries, `@AllowedOrigins() on ${gateway.name}`, problems);
      for (const method of scanner.getAllMethodNames(gateway.prototype)) {
        const entries = readAllowedOrigins(gateway.prototype[method]);
        if (entries !== undefined) {
          this.compileInto(entries, `@AllowedOrigins() on ${gateway.name}.${method}()`, problems);
        }
      }
      const endpoint = readGatewayEndpoint(gateway);
      const namespace = namespaceKey(readGatewayNamespace(gateway));
      const key = groupKey(endpoint, namespace);
      const existing = this.groups.get(key);
      if (existing === undefined) {
        const entries = classEntries ?? defaultEntries;
        this.groups.set(key, { endpoint, namespace, policy, entries, gateways: [gateway.name] });
      } else if (existing.policy.fingerprint === policy.fingerprint) {
        this.groups.set(key, { ...existing, gateways: [...existing.gateways, gateway.name] });
      } else {
        problems.push(conflict(existing, gateway.name));
      }
    }
  }

  /**
   * One handshake policy per endpoint: the policy its gateways share, or, when they differ by
   * namespace, one compiled from all their entries, so that a handshake is still decided once.
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
        const union = OriginPolicy.compile(
          groups.flatMap((g) => g.entries),
          this.settings,
          at,
        );
        problems.push(...union.problems);
        policy = union.policy;
      }
      this.endpoints.set(key, { endpoint: first.endpoint, policy, gateways });
    }
  }

  private compileInto(
    entries: readonly unknown[],
    at: string,
    problems: ConfigProblem[],
  ): OriginPolicy {
    const compiled = OriginPolicy.compile(entries, this.settings, at);
    problems.push(...compiled.problems);
    this.handlerPolicies.set(entries, compiled.policy);
    return compiled.policy;
  }

  private warnAboutRiskyPolicies(): void {
    const logger = OriginPolicyRegistry.logger;
    const policies: [string, OriginPolicy][] = [['allowedOrigins', this.defaultPolicy]];
    for (const { endpoint, namespace, policy, gateways } of this.groups.values()) {
      if (policy !== this.defaultPolicy) {
        const where =
          namespace === MAIN_NAMESPACE
            ? describeEndpoint(endpoint)
            : `${describeEndpoint(endpoint)}, ${describeNamespace(namespace)}`;
        policies.push([`@AllowedOrigins() of ${gateways.join(', ')} (${where})`, policy]);
      }
    }
    for (const [where, policy] of policies) {
      if (policy.allowsAnyOrigin) {
        logger.warn(
          `${where} contains '*': pages on every site may open WebSockets here, so Cross-Site WebSocket Hijacking is not prevented. List your origins instead.`,
        );
      } else if (policy.entries.length === 0) {
        logger.warn(`${where} is empty: every browser handshake will be refused with 403.`);
      }
    }
  }
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

function readAllowedOrigins(target: unknown): readonly unknown[] | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(AllowedOriginsMetadata.KEY, target) as readonly unknown[] | undefined;
}
