import { type HandshakeRequest, headerValues, requestPath } from './handshake-request.js';
import type { OriginDecision, RefusalReason } from './origin-decision.js';
import { requestOrigin, type TrustProxy } from './request-origin.js';

/**
 * One origin decision, as given to the `onDecision` hook: for metrics and alerting.
 *
 * @example
 * ```ts
 * onDecision: (event) => metrics.increment('ws_origin', { verdict: event.verdict, reason: event.reason }),
 * ```
 * @publicApi
 */
export interface OriginDecisionEvent {
  /** A handshake (adapter) or a message (`OriginGuard`). */
  readonly stage: 'handshake' | 'message';
  /** What the policy decided. */
  readonly verdict: 'allowed' | 'refused';
  /** `true` when a refusal was not enforced because the mode is `'report-only'`. */
  readonly reportOnly: boolean;
  readonly reason: RefusalReason | undefined;
  /** The normalized origin when allowed; the raw claimed value (attacker-controlled) when refused. */
  readonly origin: string | undefined;
  /** The `Host` header (or trusted forwarded host). */
  readonly host: string | undefined;
  /** The request path, without query string (empty for message decisions). */
  readonly path: string;
  /** Gateway class name(s); for messages, `Gateway.handler`. */
  readonly gateway: string | undefined;
  /** The configured entry that allowed the origin (`'sameOrigin'` for the same-origin rule). */
  readonly matchedEntry: string | undefined;
  /** What is wrong with a malformed value, or how a predicate failed. */
  readonly detail: string | undefined;
}

/** Builds the event for a decision on `request`. */
export function decisionEvent(
  stage: OriginDecisionEvent['stage'],
  decision: OriginDecision,
  reportOnly: boolean,
  request: HandshakeRequest,
  trustProxy: TrustProxy | undefined,
  gateways: readonly string[],
): OriginDecisionEvent {
  return {
    stage,
    verdict: decision.allowed ? 'allowed' : 'refused',
    reportOnly,
    reason: decision.allowed ? undefined : decision.reason,
    origin: decision.allowed ? decision.origin : decision.claimed,
    host:
      requestOrigin(request, trustProxy)?.authority ?? headerValues(request.rawHeaders, 'host')[0],
    path: stage === 'message' ? '' : requestPath(request.url),
    gateway: gateways.length > 0 ? gateways.join(', ') : undefined,
    matchedEntry: decision.allowed ? decision.matchedEntry : undefined,
    detail: decision.allowed ? decision.failure : decision.detail,
  };
}
