import type { ProbeTransport } from './probe-target.js';
import type { Variant } from './variants.js';

/**
 * The kinds of request a variant is sent as:
 * - `upgrade`: a WebSocket handshake (for Socket.IO: `transport=websocket`, no `sid`).
 * - `polling`: an engine.io long-polling handshake (`transport=polling`, no `sid`).
 * - `poll+sid`: a long-polling GET carrying the `sid` of a session the allowed origin opened just before.
 * - `upgrade+sid`: a WebSocket upgrade of such a session.
 */
export type RequestKind = 'upgrade' | 'polling' | 'poll+sid' | 'upgrade+sid';

export interface PlannedRequest {
  readonly variant: Variant;
  readonly request: RequestKind;
}

/**
 * The hard bound on requests in one run, sessions for `sid` requests included. A run that
 * would need more (many allowed origins) is refused before anything is sent.
 *
 * @example
 * ```ts
 * expect(report.requests).toBeLessThanOrEqual(MAX_PROBE_REQUESTS);
 * ```
 * @publicApi
 */
export const MAX_PROBE_REQUESTS = 200;

/** Variants also sent with a session id: engine.io skips `allowRequest` for those. */
const SID_POLL_VARIANTS = new Set(['other-site', 'fetch-cross-site']);
const SID_UPGRADE_VARIANTS = new Set(['other-site']);

/** Controls first (they decide whether the rest means anything), then in variant order. */
export function planRequests(
  variants: readonly Variant[],
  transport: ProbeTransport,
): PlannedRequest[] {
  const planned: PlannedRequest[] = [];
  for (const variant of variants) {
    for (const request of requestsFor(variant, transport)) planned.push({ variant, request });
  }
  return planned.toSorted(
    (a, b) => Number(b.variant.kind === 'control') - Number(a.variant.kind === 'control'),
  );
}

/** Connections a plan opens: a `sid` request needs one more, for the allowed origin's session. */
export function requestCount(plan: readonly PlannedRequest[]): number {
  return plan.reduce((sum, { request }) => sum + (request.endsWith('+sid') ? 2 : 1), 0);
}

function requestsFor(variant: Variant, transport: ProbeTransport): RequestKind[] {
  if (transport === 'ws') return variant.jsonp === true ? [] : ['upgrade'];
  if (variant.jsonp === true) return ['polling'];
  if (variant.wsVersion8 === true) return ['upgrade'];
  const kinds: RequestKind[] = ['polling', 'upgrade'];
  if (SID_POLL_VARIANTS.has(variant.id)) kinds.push('poll+sid');
  if (SID_UPGRADE_VARIANTS.has(variant.id)) kinds.push('upgrade+sid');
  return kinds;
}
