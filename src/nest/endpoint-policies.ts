import type { ConfigProblem } from '../policy/origin-guard-config.error.js';
import type { OriginPolicy } from '../policy/origin-policy.js';
import type { Checkpoint } from '../runtime/checkpoint.js';
import type { DeclaredPolicies, DeclaredPolicy } from './declared-policies.js';
import {
  describeEndpoint,
  endpointKey,
  endpointOf,
  type GatewayEndpoint,
} from './gateway-metadata.js';
import { describeNamespace, MAIN_NAMESPACE, namespaceKey } from './namespace-key.js';

/** The handshake policy of one socket server, and the gateways it serves. */
export interface EndpointPolicy extends Checkpoint {
  readonly endpoint: GatewayEndpoint;
}

/** The gateways of one endpoint and namespace, which must all declare the same policy. */
export interface PolicyGroup {
  readonly endpoint: GatewayEndpoint;
  /** `namespaceKey()` of the gateways' Socket.IO namespace; `/` for gateways without one. */
  readonly namespace: string;
  readonly declared: DeclaredPolicy;
  readonly gateways: readonly string[];
}

/**
 * Gateway policies grouped the way adapters enforce them: one handshake policy per endpoint
 * (port + path) and one per Socket.IO namespace of an endpoint.
 *
 * Gateways on one endpoint and namespace must declare the same policy. Gateways that differ
 * only by namespace may differ (only Socket.IO has namespaces; `WsAdapter` refuses them): the
 * endpoint's policy is then the union of theirs, so that a handshake is still decided once, and
 * the Socket.IO adapter narrows each namespace to its own policy. If any of those namespaces
 * only reports, so does the union: an origin only that namespace would refuse must still
 * reach it.
 */
export class EndpointPolicies {
  /** Keyed by `endpointKey` and `namespaceKey`. */
  private readonly groups = new Map<string, PolicyGroup>();
  /** Keyed by `endpointKey`. */
  private readonly endpoints = new Map<string, EndpointPolicy>();

  constructor(private readonly declared: DeclaredPolicies) {}

  /** Adds one gateway's class policy; a conflict with its group is a problem. */
  add(
    gateway: Function,
    endpoint: GatewayEndpoint,
    namespace: unknown,
    policy: DeclaredPolicy,
    problems: ConfigProblem[],
  ): void {
    const key = groupKey(endpoint, namespaceKey(namespace));
    const existing = this.groups.get(key);
    if (existing === undefined) {
      this.groups.set(key, {
        endpoint,
        namespace: namespaceKey(namespace),
        declared: policy,
        gateways: [gateway.name],
      });
    } else if (existing.declared.policy.fingerprint === policy.policy.fingerprint) {
      this.groups.set(key, { ...existing, gateways: [...existing.gateways, gateway.name] });
    } else {
      problems.push(conflict(existing, gateway.name));
    }
  }

  /** Builds each endpoint's handshake policy, once every gateway has been added. */
  build(problems: ConfigProblem[]): void {
    const byEndpoint = new Map<string, PolicyGroup[]>();
    for (const group of this.groups.values()) {
      const key = endpointKey(group.endpoint);
      byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), group]);
    }
    for (const [key, groups] of byEndpoint) {
      const [first] = groups as [PolicyGroup, ...PolicyGroup[]];
      const gateways = groups.flatMap((g) => g.gateways);
      const fingerprint = first.declared.policy.fingerprint;
      if (groups.every((g) => g.declared.policy.fingerprint === fingerprint)) {
        this.endpoints.set(key, checkpoint(first.endpoint, first.declared.policy, gateways));
        continue;
      }
      const union = this.declared.union(
        groups.map((g) => g.declared),
        `@AllowedOrigins() of ${gateways.join(', ')} (${describeEndpoint(first.endpoint)})`,
        problems,
      );
      // Each namespace decides its joins again with its own policy and reports that.
      this.endpoints.set(key, {
        ...checkpoint(first.endpoint, union, gateways),
        quietWhenReportOnly: true,
      });
    }
  }

  /**
   * The handshake policy of the socket server created for `port` and the gateway `path`
   * option: the module's when no gateway declares one there.
   */
  forEndpoint(port: number, path: unknown): EndpointPolicy {
    const endpoint = endpointOf(port, path);
    return (
      this.endpoints.get(endpointKey(endpoint)) ??
      checkpoint(endpoint, this.declared.defaultPolicy, [])
    );
  }

  /**
   * The policy of the gateways serving `namespace` (as written in the gateway options, or as
   * Nest passes it to the adapter) on that endpoint, or `undefined` when no gateway serves it.
   */
  forNamespace(port: number, path: unknown, namespace: unknown): EndpointPolicy | undefined {
    const group = this.groupAt(port, path, namespace);
    return group === undefined
      ? undefined
      : checkpoint(group.endpoint, group.declared.policy, group.gateways);
  }

  /** The gateways serving `namespace` (the main one when omitted) on that endpoint. */
  groupAt(port: number, path: unknown, namespace?: unknown): PolicyGroup | undefined {
    return this.groups.get(groupKey(endpointOf(port, path), namespaceKey(namespace)));
  }

  /** Every endpoint and namespace group, in the order gateways were added. */
  all(): Iterable<PolicyGroup> {
    return this.groups.values();
  }
}

function checkpoint(
  endpoint: GatewayEndpoint,
  policy: OriginPolicy,
  gateways: readonly string[],
): EndpointPolicy {
  return { endpoint, policy, gateways, path: endpoint.path ?? '*' };
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
