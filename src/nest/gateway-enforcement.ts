import { OriginGuardConfigError } from '../policy/origin-guard-config.error.js';
import type { PolicyGroup } from './endpoint-policies.js';
import { describeEndpoint } from './gateway-metadata.js';
import { describeNamespace, MAIN_NAMESPACE } from './namespace-key.js';

/**
 * Which gateways an origin-checking adapter serves, recorded by the adapters as they create
 * the gateways' servers. At bootstrap every gateway must be in it: a gateway served by another
 * adapter (Nest's `WsAdapter` or `IoAdapter`, a subclass of them, or the default `IoAdapter`
 * of a Socket.IO app without `useWebSocketAdapter()`) would accept every origin, silently.
 */
export class GatewayEnforcement {
  private readonly enforcers = new Map<string, string>();

  /** Records that `enforcer` (an adapter class name) checks these gateways. */
  claim(gateways: readonly string[], enforcer: string): void {
    for (const gateway of gateways) this.enforcers.set(gateway, enforcer);
  }

  /** The adapter that checks `gateway`, or `undefined`. */
  enforcerOf(gateway: string): string | undefined {
    return this.enforcers.get(gateway);
  }

  /**
   * The gateways of `groups` no adapter claimed, as one error naming each and the fix.
   * `undefined` when every gateway is checked.
   */
  check(groups: Iterable<PolicyGroup>): OriginGuardConfigError | undefined {
    const problems = [];
    for (const { endpoint, namespace, gateways } of groups) {
      const where =
        namespace === MAIN_NAMESPACE
          ? describeEndpoint(endpoint)
          : `${describeEndpoint(endpoint)}, ${describeNamespace(namespace)}`;
      for (const gateway of gateways) {
        if (this.enforcers.has(gateway)) continue;
        problems.push({
          at: gateway,
          value: where,
          problem:
            "is served by an adapter that does not check origins (Nest's WsAdapter or IoAdapter, a subclass of them, " +
            'or no useWebSocketAdapter() call in a Socket.IO app), so every origin could open it',
          fix:
            'app.useWebSocketAdapter(new OriginWsAdapter(app)) from nestjs-origin-guard/ws, or new OriginIoAdapter(app) ' +
            '(or withOriginCheck(YourIoAdapter)) from nestjs-origin-guard/socket.io; to start anyway, set allowUncheckedGateways: true',
        });
      }
    }
    return problems.length === 0
      ? undefined
      : new OriginGuardConfigError('OriginGuardModule', problems);
  }
}
