import type { OriginDecisionEvent } from './decision-event.js';
import type { RefusalReason } from './origin-decision.js';

/**
 * Metric labels for one decision, each from a small, fixed set, so that a counter keeps a
 * handful of series whatever clients send. A type alias, not an interface, so that it fits
 * metric libraries' `Record<string, string>` label parameters.
 *
 * @publicApi
 */
export type DecisionMetricLabels = {
  /**
   * Where: the routed path of a handshake (`/chat`, `/socket.io/`, `*`), or the guarded
   * handler of a message (`ChatGateway.admin`). Both come from your code, not from clients.
   */
  readonly endpoint: string;
  /** `allowed`, `refused`, or `would_refuse` (a refusal that report-only mode let through). */
  readonly outcome: 'allowed' | 'refused' | 'would_refuse';
  /** The refusal reason, or `none` for an allowed decision. */
  readonly reason: RefusalReason | 'none';
};

/**
 * Turns an `onDecision` event into metric labels: endpoint, outcome and reason. Never the
 * origin, the address or the User-Agent: hostile clients choose those freely, and a label per
 * value would let them create series without bound (the log lines name them, rate-limited).
 *
 * @example
 * ```ts
 * const decisions = new Counter({
 *   name: 'ws_origin_decisions_total',
 *   help: 'WebSocket origin decisions, by endpoint, outcome and reason',
 *   labelNames: ['endpoint', 'outcome', 'reason'],
 * });
 * OriginGuardModule.forRoot({
 *   allowedOrigins: ['https://app.example.com'],
 *   onDecision: (event) => decisions.inc(decisionMetricLabels(event)),
 * });
 * ```
 * @publicApi
 */
export function decisionMetricLabels(event: OriginDecisionEvent): DecisionMetricLabels {
  return {
    endpoint: event.stage === 'message' ? (event.gateway ?? '(unknown)') : event.path,
    outcome:
      event.verdict === 'allowed' ? 'allowed' : event.reportOnly ? 'would_refuse' : 'refused',
    reason: event.reason ?? 'none',
  };
}
