// The package root: the Nest module, its decorator and guard, and the framework-free policy
// engine. Transports have their own entry points (`nestjs-origin-guard/ws`,
// `nestjs-origin-guard/socket.io`), so importing this one loads neither.
export { ORIGIN_REFUSED_MESSAGE, POLICY_VIOLATION_CLOSE_CODE } from './constants.js';
export {
  AllowedOrigins,
  type AllowedOriginsEntry,
  type AllowedOriginsOptions,
  type OriginsProvider,
} from './nest/allowed-origins.decorator.js';
export { corsOrigin, type CorsOriginCallback } from './nest/cors-origin.js';
export type { OriginGuardModuleOptions } from './nest/origin-guard-options.interface.js';
export {
  getOriginGuardOptionsToken,
  InjectOriginGuardOptions,
  type OriginGuardModuleAsyncOptions,
  type OriginGuardOptionsFactory,
} from './nest/origin-guard-options.token.js';
export { OriginGuardModule } from './nest/origin-guard.module.js';
export { OriginGuard } from './nest/origin.guard.js';
export { getHandshakeOrigin, type HandshakeOrigin } from './runtime/handshake-origin.js';
export { protectUpgrades, type ProtectUpgradesOptions } from './runtime/protect-upgrades.js';
export * from './policy/index.js';
