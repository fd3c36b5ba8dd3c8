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

/** The handshake policy of one socket server, and the gateways it serves. */
export interface EndpointPolicy {
  readonly endpoint: GatewayEndpoint;
  readonly policy: OriginPolicy;
  /** Class names of the gateways on this endpoint, for log lines. */
  readonly gateways: readonly string[];
}

/**
 * Every origin policy of the application, compiled and validated once at bootstrap: the
 * module default, one per gateway endpoint (port + path) and one per `@AllowedOrigins`
 * handler. Adapters and `OriginGuard` only look policies up here.
 *
 * @publicApi
 */
export class OriginPolicyRegistry {
  private static readonly logger = new Logger('OriginGuard');
  private readonly handlerPolicies = new WeakMap<readonly unknown[], OriginPolicy>();
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
    registry.addGateways(gateways, problems);
    if (problems.length > 0) {
      throw new OriginGuardConfigError('OriginGuardModule', problems);
    }
    registry.warnAboutRiskyPolicies();
    return registry;
  }

  /** The policy of the socket server created for `port` and the gateway `path` option. */
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

  /** Compiles each gateway's class and handler policies and maps class policies to endpoints. */
  private addGateways(gateways: readonly Function[], problems: ConfigProblem[]): void {
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
      const key = endpointKey(endpoint);
      const existing = this.endpoints.get(key);
      if (existing === undefined) {
        this.endpoints.set(key, { endpoint, policy, gateways: [gateway.name] });
      } else if (existing.policy.fingerprint === policy.fingerprint) {
        this.endpoints.set(key, { ...existing, gateways: [...existing.gateways, gateway.name] });
      } else {
        problems.push({
          at: `${existing.gateways.join(', ')} and ${gateway.name}`,
          value: describeEndpoint(endpoint),
          problem:
            'share one socket server but declare different @AllowedOrigins, and one server cannot enforce two handshake policies',
          fix: 'give them the same @AllowedOrigins, or put them on different paths',
        });
      }
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
    for (const { endpoint, policy, gateways } of this.endpoints.values()) {
      if (policy !== this.defaultPolicy) {
        policies.push([
          `@AllowedOrigins() of ${gateways.join(', ')} (${describeEndpoint(endpoint)})`,
          policy,
        ]);
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

function readAllowedOrigins(target: unknown): readonly unknown[] | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(AllowedOriginsMetadata.KEY, target) as readonly unknown[] | undefined;
}
