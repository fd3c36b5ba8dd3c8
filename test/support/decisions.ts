import type { OriginDecisionEvent } from '../../src/policy/decision-event.js';
import type { OriginDecision, RefusalReason } from '../../src/policy/origin-decision.js';

/** Test helper: an allowed decision, by default matched by the entry that is the origin itself. */
export function allowedDecision(origin: string, matchedEntry: string = origin): OriginDecision {
  return { allowed: true, origin, matchedEntry };
}

/** Test helper: a refusal of the claimed origin. */
export function refusedDecision(claimed: string, reason: RefusalReason): OriginDecision {
  return { allowed: false, reason, claimed };
}

/** Test helper: the header lines of a browser handshake from `origin` to `app.example.com`. */
export function hostileHeaders(origin: string, userAgent: string): string[] {
  return ['Host', 'app.example.com', 'Origin', origin, 'User-Agent', userAgent];
}

/**
 * Test helper: the event of a handshake from `https://evil.example` refused at `/chat` of
 * `ChatGateway`, with every client-chosen field set (see `hostileHeaders`).
 */
export function refusedEvent(overrides: Partial<OriginDecisionEvent> = {}): OriginDecisionEvent {
  return {
    stage: 'handshake',
    verdict: 'refused',
    reportOnly: false,
    reason: 'not_allowed',
    origin: 'https://evil.example',
    host: 'app.example.com',
    path: '/chat',
    remoteAddress: '10.0.0.2',
    userAgent: 'Mozilla/5.0 (Evil)',
    gateway: 'ChatGateway',
    matchedEntry: undefined,
    detail: undefined,
    ...overrides,
  };
}
