import { MetadataScanner } from '@nestjs/core';
import { OriginGuardConfigError } from '../policy/origin-guard-config.error.js';
import { OriginPolicy } from '../policy/origin-policy.js';
import { DeclaredPolicies } from './declared-policies.js';
import type { Checkpoint } from '../runtime/checkpoint.js';
import { EndpointPolicies, type EndpointPolicy, type PolicyGroup } from './endpoint-policies.js';
import { type EnforcementSite, endpointSummaryLine } from './endpoint-summary.js';
import {
  readAllowedOrigins,
  readGatewayEndpoint,
  readGatewayNamespace,
} from './gateway-metadata.js';
import type { ProviderLookup } from './origins-provider-resolver.js';
import type { ResolvedModuleOptions } from './resolve-module-options.js';
import { MAIN_NAMESPACE } from './namespace-key.js';
import { logEndpointSummary, logStartup } from './startup-log.js';

/**
 * Every origin policy of the application, compiled and validated once at bootstrap: the
 * module default, one per gateway endpoint (port + path), one per Socket.IO namespace of an
 * endpoint, and one per `@AllowedOrigins` handler. Adapters and `OriginGuard` only look
 * policies up here.
 */
export class OriginPolicyRegistry {
  /** Endpoint and namespace groups whose startup line was written. */
  private readonly announced = new WeakSet<PolicyGroup>();

  private constructor(
    private readonly declared: DeclaredPolicies,
    private readonly endpoints: EndpointPolicies,
    /** The policies of `upgrades` paths, by path. */
    readonly upgradePaths: ReadonlyMap<string, Checkpoint>,
    /** engine.io JSONP polling is served (`allowJsonpPolling`); refused otherwise. */
    readonly allowJsonpPolling: boolean,
  ) {}

  /**
   * Builds the registry from the resolved module options and the application's gateway
   * classes, resolving `OriginsProvider` classes through `lookup`, and logs the result.
   *
   * @throws OriginGuardConfigError listing every problem: invalid options or entries, and
   *   gateways that share an endpoint with different policies.
   */
  static async build(
    resolved: ResolvedModuleOptions,
    gateways: readonly Function[],
    lookup: ProviderLookup = () => undefined,
  ): Promise<OriginPolicyRegistry> {
    const problems = [...resolved.problems];
    const list = resolved.allowedOrigins;
    const compiled = OriginPolicy.compile(list, resolved.settings, 'allowedOrigins');
    problems.push(...compiled.problems);
    const declared = new DeclaredPolicies(
      compiled.policy,
      Array.isArray(list) ? list : [],
      resolved.settings,
    );
    const endpoints = new EndpointPolicies(declared);
    const scanner = new MetadataScanner();
    for (const gateway of gateways) {
      const classArgs = readAllowedOrigins(gateway);
      const classPolicy =
        classArgs === undefined
          ? { policy: declared.defaultPolicy, entries: declared.defaultEntries, providers: [] }
          : await declared.compile(
              classArgs,
              `@AllowedOrigins() on ${gateway.name}`,
              lookup,
              problems,
            );
      for (const method of scanner.getAllMethodNames(gateway.prototype)) {
        const args = readAllowedOrigins(gateway.prototype[method] as Function);
        if (args !== undefined) {
          await declared.compile(
            args,
            `@AllowedOrigins() on ${gateway.name}.${method}()`,
            lookup,
            problems,
          );
        }
      }
      endpoints.add(
        gateway,
        readGatewayEndpoint(gateway),
        readGatewayNamespace(gateway),
        classPolicy,
        problems,
      );
    }
    endpoints.build(problems);
    const upgradePaths = new Map<string, Checkpoint>();
    for (const [path, entries] of resolved.upgrades) {
      const at = `upgrades[${JSON.stringify(path)}]`;
      const upgrade = OriginPolicy.compile(entries, resolved.settings, at);
      problems.push(...upgrade.problems);
      upgradePaths.set(path, { policy: upgrade.policy, gateways: [], path });
    }
    if (problems.length > 0) throw new OriginGuardConfigError('OriginGuardModule', problems);
    logStartup(declared.defaultPolicy, endpoints, upgradePaths, resolved.allowJsonpPolling);
    return new OriginPolicyRegistry(declared, endpoints, upgradePaths, resolved.allowJsonpPolling);
  }

  /** The module's own policy (`allowedOrigins`). */
  get defaultPolicy(): OriginPolicy {
    return this.declared.defaultPolicy;
  }

  /** The checkpoint of upgrades no gateway or `upgrades` path claims: `allowedOrigins`. */
  get fallback(): Checkpoint {
    return { policy: this.declared.defaultPolicy, gateways: [], path: '*' };
  }

  /** Every gateway group, for the bootstrap check that each is enforced. */
  groups(): Iterable<PolicyGroup> {
    return this.endpoints.all();
  }

  /** See `EndpointPolicies.forEndpoint`. */
  forEndpoint(port: number, path: unknown): EndpointPolicy {
    return this.endpoints.forEndpoint(port, path);
  }

  /** See `EndpointPolicies.forNamespace`. */
  forNamespace(port: number, path: unknown, namespace: unknown): EndpointPolicy | undefined {
    return this.endpoints.forNamespace(port, path, namespace);
  }

  /**
   * Logs, once per endpoint and namespace, what is enforced there and by whom (see
   * `endpointSummaryLine`). Called by whatever enforces the endpoint, when it knows where it
   * listens: the registry is built before any adapter exists.
   */
  announce(port: number, path: unknown, namespace: unknown, site: EnforcementSite): void {
    const group = this.endpoints.groupAt(port, path, namespace);
    if (group === undefined || this.announced.has(group)) return;
    this.announced.add(group);
    logEndpointSummary(endpointSummaryLine(group, site));
  }

  /**
   * Logs what the app-wide upgrade gate enforces on the app's HTTP server: each `upgrades`
   * path, then every other upgrade (`allowedOrigins`). Once, when the gate is installed.
   */
  announceGate(listeningPort: number | string | undefined): void {
    const site = { transport: 'WebSocket', enforcer: 'the app-wide upgrade gate', listeningPort };
    const at = (path: string | undefined, policy: OriginPolicy, subject: string) =>
      logEndpointSummary(
        endpointSummaryLine(
          {
            endpoint: { port: 0, path },
            namespace: MAIN_NAMESPACE,
            declared: { policy, providers: [] },
            gateways: [],
          },
          { ...site, path, subject },
        ),
      );
    for (const [path, { policy }] of this.upgradePaths) {
      at(path, policy, `upgrades[${JSON.stringify(path)}]`);
    }
    at(undefined, this.defaultPolicy, 'Every other upgrade');
  }

  /** See `DeclaredPolicies.policyOf`. */
  forDeclared(args: readonly unknown[] | undefined): OriginPolicy {
    return this.declared.policyOf(args);
  }
}
