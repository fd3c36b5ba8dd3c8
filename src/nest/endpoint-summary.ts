import type { OriginPolicy } from '../policy/origin-policy.js';
import { summarizePolicy } from '../policy/policy-review.js';
import type { GatewayEndpoint } from './gateway-metadata.js';
import { describeNamespace, MAIN_NAMESPACE } from './namespace-key.js';

/** What one summary line is about: a gateway group (`PolicyGroup` fits), or a gate's path. */
export interface SummarizedEndpoint {
  readonly endpoint: GatewayEndpoint;
  /** `namespaceKey()`; `/` where there are no namespaces. */
  readonly namespace: string;
  readonly declared: {
    readonly policy: OriginPolicy;
    /** For each entry, the `OriginsProvider` it came from, if any. */
    readonly providers: readonly (string | undefined)[];
  };
  readonly gateways: readonly string[];
}

/** Where and by whom an endpoint's policy is enforced, as only the enforcer knows it. */
export interface EnforcementSite {
  /** The protocol clients speak there: `ws`, `Socket.IO`. */
  readonly transport: string;
  /**
   * What checks the handshakes: `OriginWsAdapter`, `OriginIoAdapter`,
   * `withOriginCheck(RedisIoAdapter)`, or an app-wide gate.
   */
  readonly enforcer: string;
  /**
   * The path requests are routed by, as refusal lines name it (Socket.IO: the engine path,
   * `/socket.io/`); `undefined` for a server that answers on every path.
   */
  readonly path: string | undefined;
  /** The port the server listens on, once known; for the app's HTTP server, its port. */
  readonly listeningPort?: number | string | undefined;
  /**
   * What the line is about when no gateway is (`upgrades["/graphql"]`, `Every other upgrade`).
   * @default '(no gateway)'
   */
  readonly subject?: string;
}

/**
 * The startup line of one endpoint (and Socket.IO namespace): its gateways, transport, port
 * and path, who enforces its policy, and the policy itself with every effective entry, e.g.
 *
 * `ChatGateway: ws on port 3000 (the app's HTTP server), path "/chat", enforced by
 * OriginWsAdapter: mode=enforce, missing Origin allowed, null refused, 1 entry:
 * 'https://app.example.com' (exact)`
 */
export function endpointSummaryLine(group: SummarizedEndpoint, site: EnforcementSite): string {
  const { endpoint, namespace, declared, gateways } = group;
  const port = site.listeningPort;
  const server =
    endpoint.port !== 0
      ? `port ${endpoint.port}`
      : port === undefined
        ? "the app's HTTP server"
        : `${typeof port === 'number' ? `port ${port}` : port} (the app's HTTP server)`;
  const where = [
    `${site.transport} on ${server}`,
    site.path === undefined ? 'any path' : `path "${site.path}"`,
    ...(namespace === MAIN_NAMESPACE ? [] : [describeNamespace(namespace)]),
    `enforced by ${site.enforcer}`,
  ].join(', ');
  const named = gateways.length === 0 ? (site.subject ?? '(no gateway)') : gateways.join(', ');
  return `${named}: ${where}: ${summarizePolicy(declared.policy, declared.providers)}`;
}
