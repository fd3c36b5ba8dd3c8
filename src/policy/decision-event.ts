import type { HandshakeRequest } from './handshake-request.js';
import type { OriginDecision, RefusalReason } from './origin-decision.js';
import { readRequestHeaders, type RequestHeaders } from './request-headers.js';
import { clientAddress, requestOrigin, type TrustProxy } from './request-origin.js';

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
  /**
   * The path the request was routed by: the gateway's normalized `path` option (`/chat`;
   * Socket.IO: the engine path, `/socket.io/`), or `*` for a gateway that owns a port and
   * answers on every path; for messages, the path of the client's handshake. Never the raw
   * request target, which the client chooses (`GET http://evil/x?token=…`), so it is safe as a
   * metrics label and in logs.
   */
  readonly path: string;
  /**
   * The client's address: the connection's peer, or the address forwarded by trusted proxies
   * (`trustProxy`, `X-Forwarded-For`). Forwarded values are never read without `trustProxy`.
   */
  readonly remoteAddress: string | undefined;
  /** The `User-Agent` header as sent: attacker-controlled text (logs truncate and escape it). */
  readonly userAgent: string | undefined;
  /** Gateway class name(s); for messages, `Gateway.handler`. */
  readonly gateway: string | undefined;
  /** The configured entry that allowed the origin (`'sameOrigin'` for the same-origin rule). */
  readonly matchedEntry: string | undefined;
  /** What is wrong with a malformed value, or how a predicate failed. */
  readonly detail: string | undefined;
}

/**
 * The facts a log line about a decision states: the event without `host` and `matchedEntry`,
 * which only hooks read. A refusal that is only logged skips working out the host.
 */
export type DecisionFacts = Omit<OriginDecisionEvent, 'host' | 'matchedEntry'>;

/** Where and how a decision was made: what its event says besides the decision and request. */
export interface DecisionSite {
  readonly stage: OriginDecisionEvent['stage'];
  /** Whether a refusal was left unenforced (report-only mode). */
  readonly reportOnly: boolean;
  /** The proxies trusted for the host and the client's address. */
  readonly trustProxy: TrustProxy | undefined;
  /** Gateway class names; for messages, `Gateway.handler`. */
  readonly gateways: readonly string[];
  /** The path the request was routed by (see `OriginDecisionEvent.path`). */
  readonly path: string;
}

/** Builds the event for a decision on `request`. */
export function decisionEvent(
  decision: OriginDecision,
  request: HandshakeRequest,
  site: DecisionSite,
): OriginDecisionEvent {
  const headers = readRequestHeaders(request.rawHeaders);
  return {
    ...decisionFacts(decision, request, site, headers),
    host: requestOrigin(request, site.trustProxy, headers)?.authority ?? headers.host,
    matchedEntry: decision.allowed ? decision.matchedEntry : undefined,
  };
}

/** Builds the facts of a decision on `request` (see `DecisionFacts`). */
export function decisionFacts(
  decision: OriginDecision,
  request: HandshakeRequest,
  { stage, reportOnly, trustProxy, gateways, path }: DecisionSite,
  headers: RequestHeaders = readRequestHeaders(request.rawHeaders),
): DecisionFacts {
  return {
    stage,
    verdict: decision.allowed ? 'allowed' : 'refused',
    reportOnly,
    reason: decision.allowed ? undefined : decision.reason,
    origin: decision.allowed ? decision.origin : decision.claimed,
    path,
    remoteAddress: clientAddress(request, trustProxy, headers),
    userAgent: headers.userAgent,
    gateway: gateways.length > 0 ? gateways.join(', ') : undefined,
    detail: decision.allowed ? decision.failure : decision.detail,
  };
}
