import { Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
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
      inject: [ORIGIN_GUARD_MODULE_OPTIONS, DiscoveryService],
      useFactory: (options: unknown, discovery: DiscoveryService) =>
        OriginPolicyRegistry.build(options, discoverGateways(discovery)),
    },
    OriginGuard,
  ],
  exports: [OriginPolicyRegistry, OriginGuard],
})
export class OriginGuardModule extends ConfigurableOriginGuardModule {}

function discoverGateways(discovery: DiscoveryService): Function[] {
  const gateways = new Set<Function>();
  for (const wrapper of discovery.getProviders()) {
    if (isGateway(wrapper.metatype)) gateways.add(wrapper.metatype);
  }
  return [...gateways];
}
