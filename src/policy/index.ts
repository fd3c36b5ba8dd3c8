// The framework-free policy engine's public surface: compile an allowlist, decide requests.
// Usable without Nest, e.g. for a `ws` or `graphql-ws` server attached by hand.
export type { OriginDecisionEvent } from './decision-event.js';
export { type DecisionMetricLabels, decisionMetricLabels } from './decision-metric-labels.js';
export type { DecisionScope, HandshakeRequest, OriginCheckContext } from './handshake-request.js';
export type { OriginDecision, RefusalReason } from './origin-decision.js';
export type { OriginEntryInput } from './origin-entry.js';
export { type ConfigProblem, OriginGuardConfigError } from './origin-guard-config.error.js';
export { parseOriginList } from './origin-list-text.js';
export { OriginPolicy } from './origin-policy.js';
export type { OriginPredicate, PredicateSettings } from './origin-predicate.js';
export type { OriginCheckMode, SameOriginOptions } from './policy-settings.js';
export type { TrustProxyInput } from './request-origin.js';
export {
  type OriginSyntaxError,
  parseSerializedOrigin,
  type ParsedOrigin,
} from './serialized-origin.js';
