import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { whenListening } from '../runtime/when-listening.js';
import { ORIGIN_GUARD_RUNTIME, type OriginGuardRuntime } from './origin-guard-runtime.js';

/**
 * What the module does once the gateways are connected (Nest connects them before the
 * bootstrap hooks run): installs the app-wide upgrade gate on the app's HTTP server, and fails
 * the bootstrap when a gateway is served by an adapter that does not check origins (or says so
 * loudly, with `allowUncheckedGateways`).
 */
@Injectable()
export class OriginGuardBootstrap implements OnApplicationBootstrap {
  private static readonly logger = new Logger('OriginGuard');

  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(ORIGIN_GUARD_RUNTIME) private readonly runtime: OriginGuardRuntime,
  ) {}

  onApplicationBootstrap(): void {
    const { registry, enforcement, gate, allowUncheckedGateways } = this.runtime;
    const unchecked = enforcement.check(registry.groups());
    if (unchecked !== undefined) {
      if (!allowUncheckedGateways) throw unchecked;
      OriginGuardBootstrap.logger.warn(
        `${unchecked.message.replace(': invalid origin policy', ': unchecked gateways (allowUncheckedGateways: true)')}\n` +
          "  Upgrades on the app's HTTP server are still checked by the app-wide gate; Socket.IO polling is not.",
      );
    }
    // A standalone application context (createApplicationContext) has no HTTP server.
    const server = this.host.httpAdapter?.getHttpServer() as Server | undefined;
    if (server !== undefined && typeof server.emit === 'function') {
      gate.install(server);
      whenListening(server, (port) => registry.announceGate(port));
    }
  }
}
