import type { IncomingMessage } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { EndpointPolicy } from './origin-policy.registry.js';
import { OriginPolicyRegistry } from './origin-policy.registry.js';
import type { OriginDecision } from './policy/origin-decision.js';
import { RefusalLog } from './refusal-log.js';

/**
 * What an adapter needs to check handshakes: the application's policies and a refusal log.
 * Adapters are created with `new` in `main.ts`, outside dependency injection, so the
 * registry is looked up in the application once, when the first gateway server is created.
 */
export class HandshakeGate {
  private readonly refusals = new RefusalLog(new Logger('OriginGuard'));

  private constructor(private readonly registry: OriginPolicyRegistry) {}

  static forApp(app: INestApplicationContext | undefined, adapterName: string): HandshakeGate {
    let registry: OriginPolicyRegistry | undefined;
    try {
      registry = app?.get(OriginPolicyRegistry, { strict: false });
    } catch {
      registry = undefined;
    }
    if (registry === undefined) {
      throw new Error(
        `${adapterName} found no origin policy. Import OriginGuardModule.forRoot({ allowedOrigins: [...] }) ` +
          `in your application module, and construct the adapter with the application: new ${adapterName}(app).`,
      );
    }
    return new HandshakeGate(registry);
  }

  endpoint(port: number, path: unknown): EndpointPolicy {
    return this.registry.forEndpoint(port, path);
  }

  /** The policy of one Socket.IO namespace of an endpoint; `undefined` when no gateway serves it. */
  namespace(port: number, path: unknown, namespace: unknown): EndpointPolicy | undefined {
    return this.registry.forNamespace(port, path, namespace);
  }

  /** Decides a handshake and logs a refusal. */
  decide(req: IncomingMessage, endpoint: EndpointPolicy): OriginDecision {
    const decision = endpoint.policy.decide(req.rawHeaders);
    if (!decision.allowed) {
      this.refusals.refused({
        stage: 'handshake',
        reason: decision.reason,
        claimed: decision.claimed,
        detail: decision.detail,
        url: req.url,
        gateways: endpoint.gateways,
      });
    }
    return decision;
  }
}
