import { Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, ModuleRef } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { DecisionReporter } from './decision-reporter.js';
import { isGateway } from './gateway-endpoint.js';
import {
  ConfigurableOriginGuardModule,
  ORIGIN_GUARD_MODULE_OPTIONS,
} from './origin-guard.module-definition.js';
import { OriginGuard } from './origin.guard.js';
import { OriginPolicyRegistry } from './origin-policy.registry.js';

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
      provide: OriginPolicyRegistry,
      inject: [ORIGIN_GUARD_MODULE_OPTIONS, DiscoveryService, ModuleRef],
      useFactory: (options: unknown, discovery: DiscoveryService, moduleRef: ModuleRef) =>
        OriginPolicyRegistry.build(options, discoverGateways(discovery), (token) =>
          moduleRef.get(token, { strict: false }),
        ),
    },
    {
      provide: DecisionReporter,
      inject: [ORIGIN_GUARD_MODULE_OPTIONS],
      // The options were validated by the registry; a non-function hook never gets this far.
      useFactory: (options: { onDecision?: unknown } | undefined) =>
        new DecisionReporter(
          new Logger('OriginGuard'),
          typeof options?.onDecision === 'function'
            ? (options.onDecision as ConstructorParameters<typeof DecisionReporter>[1])
            : undefined,
        ),
    },
    OriginGuard,
  ],
  exports: [OriginPolicyRegistry, DecisionReporter, OriginGuard],
})
export class OriginGuardModule extends ConfigurableOriginGuardModule {}

function discoverGateways(discovery: DiscoveryService): Function[] {
  const gateways = new Set<Function>();
  for (const wrapper of discovery.getProviders()) {
    if (isGateway(wrapper.metatype)) gateways.add(wrapper.metatype);
  }
  return [...gateways];
}
