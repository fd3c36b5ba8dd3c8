export {
  AllowedOrigins,
  type AllowedOriginsEntry,
  type AllowedOriginsOptions,
  type OriginsProvider,
} from './allowed-origins.decorator.js';
export { corsOrigin, type CorsOriginCallback } from './cors-origin.js';
export { getHandshakeOrigin, type HandshakeOrigin } from './handshake-origin.store.js';
export type { OriginGuardModuleOptions } from './origin-guard-options.interface.js';
export { OriginGuardModule } from './origin-guard.module.js';
export {
  OriginGuard,
  ORIGIN_REFUSED_MESSAGE,
  POLICY_VIOLATION_CLOSE_CODE,
} from './origin.guard.js';
export type { OriginDecision, RefusalReason } from './policy/origin-decision.js';
export { OriginGuardConfigError, type ConfigProblem } from './policy/origin-guard-config.error.js';
export { OriginPolicy } from './policy/origin-policy.js';
export { parseSerializedOrigin, type ParsedOrigin } from './policy/serialized-origin.js';
export type { OriginDecisionEvent } from './policy/decision-event.js';
export type { OriginEntryInput } from './policy/origin-entry.js';
export type { OriginCheckContext } from './policy/handshake-request.js';
export type { OriginPredicate, PredicateSettings } from './policy/origin-predicate.js';
export type { OriginCheckMode, SameOriginOptions } from './policy/policy-settings.js';
export type { TrustProxyInput } from './policy/request-origin.js';
