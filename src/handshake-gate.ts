import type { IncomingMessage } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { DecisionReporter } from './decision-reporter.js';
import type { EndpointPolicy } from './origin-policy.registry.js';
import { OriginPolicyRegistry } from './origin-policy.registry.js';
import type { OriginDecision } from './policy/origin-decision.js';
import { readOriginClaim } from './policy/origin-header.js';

/**
 * What an adapter needs to check handshakes: the application's policies and its decision
 * reporter. Adapters are created with `new` in `main.ts`, outside dependency injection, so
 * both are looked up in the application once, when the first gateway server is created.
 */
export class HandshakeGate {
  private constructor(
    private readonly registry: OriginPolicyRegistry,
    private readonly reporter: DecisionReporter,
  ) {}

  static forApp(app: INestApplicationContext | undefined, adapterName: string): HandshakeGate {
    let found: [OriginPolicyRegistry, DecisionReporter] | undefined;
    try {
      if (app !== undefined) {
        found = [
          app.get(OriginPolicyRegistry, { strict: false }),
          app.get(DecisionReporter, { strict: false }),
        ];
      }
    } catch {
      found = undefined;
    }
    if (found === undefined) {
      throw new Error(
        `${adapterName} found no origin policy. Import OriginGuardModule.forRoot({ allowedOrigins: [...] }) ` +
          `in your application module, and construct the adapter with the application: new ${adapterName}(app).`,
      );
    }
    return new HandshakeGate(...found);
  }

  endpoint(port: number, path: unknown): EndpointPolicy {
    return this.registry.forEndpoint(port, path);
  }

  /** The policy of one Socket.IO namespace of an endpoint; `undefined` when no gateway serves it. */
  namespace(port: number, path: unknown, namespace: unknown): EndpointPolicy | undefined {
    return this.registry.forNamespace(port, path, namespace);
  }

  /** Whether engine.io JSONP polling is served (`allowJsonpPolling`); refused otherwise. */
  get allowsJsonpPolling(): boolean {
    return this.registry.allowJsonpPolling;
  }

  /**
   * Decides a handshake and reports the decision. In report-only mode a refusal is reported
   * as "would refuse" and answered as allowed, carrying the claimed origin for `OriginGuard`.
   * Synchronous unless a predicate has to be asked; never rejects.
   */
  decide(req: IncomingMessage, endpoint: EndpointPolicy): OriginDecision | Promise<OriginDecision> {
    const { policy, gateways } = endpoint;
    const decision = policy.evaluate(req, { gateways, path: routedPath(endpoint) });
    return decision instanceof Promise
      ? decision.then((settled) => this.settle(req, endpoint, settled))
      : this.settle(req, endpoint, decision);
  }

  /**
   * Refuses a request for a rule of the transport rather than of the allowlist (JSONP
   * polling), reported and subject to report-only like any refusal.
   */
  refuse(req: IncomingMessage, endpoint: EndpointPolicy, reason: 'jsonp'): OriginDecision {
    const claim = readOriginClaim(req.rawHeaders);
    const claimed = claim.kind === 'missing' ? undefined : claim.value;
    return this.settle(req, endpoint, { allowed: false, reason, claimed });
  }

  private settle(
    req: IncomingMessage,
    { policy, gateways }: EndpointPolicy,
    decision: OriginDecision,
  ): OriginDecision {
    return this.reporter.settle('handshake', decision, policy, req, gateways) && !decision.allowed
      ? { allowed: true, origin: decision.claimed, matchedEntry: undefined }
      : decision;
  }
}

/** The path an endpoint's requests are routed by, for predicates (see `DecisionScope.path`). */
export function routedPath(endpoint: EndpointPolicy): string {
  return endpoint.routedPath ?? endpoint.endpoint.path ?? '*';
}
