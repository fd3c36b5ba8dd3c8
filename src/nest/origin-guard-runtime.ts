import type { INestApplicationContext } from '@nestjs/common';
import type { DecisionReporter } from '../runtime/decision-reporter.js';
import type { HandshakeChecker } from '../runtime/handshake-checker.js';
import type { UpgradeGate } from '../runtime/upgrade-gate.js';
import type { GatewayEnforcement } from './gateway-enforcement.js';
import type { OriginPolicyRegistry } from './origin-policy.registry.js';

/**
 * What the module builds at bootstrap for the adapters and `OriginGuard`: the application's
 * policies, its decision reporter, the handshake checker that uses both, the app-wide
 * upgrade gate, and the record of which gateways are checked. Provided under an
 * internal token, so nothing the application can import leaks into its dependency graph.
 */
export interface OriginGuardRuntime {
  readonly registry: OriginPolicyRegistry;
  readonly reporter: DecisionReporter;
  readonly checker: HandshakeChecker;
  /** The app-wide upgrade gate, installed on the app's HTTP server at bootstrap. */
  readonly gate: UpgradeGate;
  /** Which gateways the origin-checking adapters serve. */
  readonly enforcement: GatewayEnforcement;
  /** `allowUncheckedGateways`. */
  readonly allowUncheckedGateways: boolean;
}

export const ORIGIN_GUARD_RUNTIME = Symbol('nestjs-origin-guard:runtime');

/**
 * The runtime of an application, for adapters (created with `new` in `main.ts`, outside
 * dependency injection, they look it up when their first gateway is created) and `corsOrigin`.
 *
 * @throws Error naming the adapter and the fix when the module is not imported.
 */
export function runtimeOf(
  app: INestApplicationContext | undefined,
  adapterName: string,
  usage = `construct the adapter with the application: new ${adapterName}(app)`,
): OriginGuardRuntime {
  let runtime: OriginGuardRuntime | undefined;
  try {
    runtime = app?.get<OriginGuardRuntime>(ORIGIN_GUARD_RUNTIME, { strict: false });
  } catch {
    runtime = undefined;
  }
  if (runtime === undefined) {
    throw new Error(
      `${adapterName} found no origin policy. Import OriginGuardModule.forRoot({ allowedOrigins: [...] }) ` +
        `in your application module, and ${usage}.`,
    );
  }
  return runtime;
}
