import { Logger, Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, ModuleRef } from '@nestjs/core';
import { DecisionReporter } from '../runtime/decision-reporter.js';
import { HandshakeChecker } from '../runtime/handshake-checker.js';
import { UpgradeGate } from '../runtime/upgrade-gate.js';
import { GatewayEnforcement } from './gateway-enforcement.js';
import { OriginGuardBootstrap } from './origin-guard-bootstrap.js';
import { discoverGateways } from './gateway-metadata.js';
import {
  ConfigurableOriginGuardModule,
  ORIGIN_GUARD_MODULE_OPTIONS,
} from './origin-guard.module-definition.js';
import { ORIGIN_GUARD_RUNTIME, type OriginGuardRuntime } from './origin-guard-runtime.js';
import { OriginGuard } from './origin.guard.js';
import { OriginPolicyRegistry } from './origin-policy.registry.js';
import {
  RESOLVED_OPTIONS,
  type ResolvedModuleOptions,
  resolveModuleOptions,
} from './resolve-module-options.js';

/**
 * Registers the application's origin policy. Every gateway's `@AllowedOrigins` is read and
 * validated here at bootstrap, so a bad entry fails startup instead of the first handshake.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [OriginGuardModule.forRoot({ allowedOrigins: ['https://app.example.com'] })],
 * })
 * export class AppModule {}
 * ```
 * @publicApi
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: RESOLVED_OPTIONS,
      inject: [ORIGIN_GUARD_MODULE_OPTIONS],
      useFactory: resolveModuleOptions,
    },
    {
      provide: ORIGIN_GUARD_RUNTIME,
      inject: [RESOLVED_OPTIONS, DiscoveryService, ModuleRef],
      useFactory: async (
        resolved: ResolvedModuleOptions,
        discovery: DiscoveryService,
        moduleRef: ModuleRef,
      ): Promise<OriginGuardRuntime> => {
        const registry = await OriginPolicyRegistry.build(
          resolved,
          discoverGateways(discovery),
          (token) => moduleRef.get(token, { strict: false }),
        );
        const reporter = new DecisionReporter(new Logger('OriginGuard'), resolved.onDecision);
        const checker = new HandshakeChecker(reporter);
        const gate = new UpgradeGate(checker, registry.fallback);
        for (const [path, checkpoint] of registry.upgradePaths) gate.protect(path, checkpoint);
        return {
          registry,
          reporter,
          checker,
          gate,
          enforcement: new GatewayEnforcement(),
          allowUncheckedGateways: resolved.allowUncheckedGateways,
        };
      },
    },
    OriginGuard,
    OriginGuardBootstrap,
  ],
  exports: [ORIGIN_GUARD_RUNTIME, ORIGIN_GUARD_MODULE_OPTIONS, OriginGuard],
})
export class OriginGuardModule extends ConfigurableOriginGuardModule {}
