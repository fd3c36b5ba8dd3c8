import type { Server } from 'node:http';
import type { OriginDecisionEvent } from '../policy/decision-event.js';
import type { OriginPolicy } from '../policy/origin-policy.js';
import { DecisionReporter } from './decision-reporter.js';
import type { Checkpoint } from './checkpoint.js';
import { HandshakeChecker } from './handshake-checker.js';
import type { WarningLogger } from './rate-limited-log.js';
import { UpgradeGate } from './upgrade-gate.js';

/**
 * Options of `protectUpgrades()`.
 *
 * @publicApi
 */
export interface ProtectUpgradesOptions {
  /** The policy of every upgrade whose path has none of its own in `paths`. */
  readonly policy: OriginPolicy;
  /**
   * Policies of single paths (matched exactly, without the query), e.g. `{ '/graphql': gql }`.
   * @default {}
   */
  readonly paths?: Readonly<Record<string, OriginPolicy>>;
  /**
   * Where refusal lines go (rate limited, attacker input escaped).
   * @default console
   */
  readonly logger?: WarningLogger;
  /**
   * Called with every decision, as the module's `onDecision`.
   * @default undefined
   */
  readonly onDecision?: (event: OriginDecisionEvent) => unknown;
}

/**
 * Puts the origin check in front of every WebSocket upgrade of a plain Node HTTP server, the
 * way `OriginGuardModule` does for a Nest application's server: a refused origin gets
 * `403 Forbidden` before any `'upgrade'` listener runs (a `ws` server, `graphql-ws`, anything
 * attached before or after), and an upgrade no listener serves gets `404`. For servers outside
 * Nest.
 *
 * @example
 * ```ts
 * const { policy, problems } = OriginPolicy.compile(['https://app.example.com'], {}, 'origins');
 * if (problems.length > 0) throw new OriginGuardConfigError('my server', problems);
 * const server = http.createServer(app);
 * protectUpgrades(server, { policy });
 * useServer({ schema }, new WebSocketServer({ server, path: '/graphql' })); // graphql-ws
 * ```
 * @publicApi
 */
export function protectUpgrades(server: Server, options: ProtectUpgradesOptions): void {
  const reporter = new DecisionReporter(options.logger ?? console, options.onDecision);
  const checker = new HandshakeChecker(reporter);
  const gate = new UpgradeGate(checker, checkpoint(options.policy, '*'));
  for (const [path, policy] of Object.entries(options.paths ?? {})) {
    gate.protect(path, checkpoint(policy, path));
  }
  gate.install(server);
}

function checkpoint(policy: OriginPolicy, path: string): Checkpoint {
  return { policy, gateways: [], path };
}
