import type { IncomingMessage } from 'node:http';
import type { OriginDecision } from '../policy/origin-decision.js';
import { readOriginClaim } from '../policy/origin-header.js';
import type { OriginPolicy } from '../policy/origin-policy.js';
import type { Checkpoint } from './checkpoint.js';
import type { DecisionReporter } from './decision-reporter.js';
import { clientSlot } from './client-slot.js';
import { isPromiseLike, type MaybePromise } from './maybe-async.js';

/** A decision made by `decideFirst`, with the policy it was made by. */
const decidedFirst = clientSlot<{
  readonly policy: OriginPolicy;
  readonly decision: OriginDecision;
}>('decided-first');

/**
 * Decides handshakes at a checkpoint and reports each decision. The decision it returns is the
 * one to act on: in report-only mode a refusal comes back allowed, carrying the claimed
 * origin for `OriginGuard`. Synchronous unless a predicate has to be asked; never rejects.
 */
export class HandshakeChecker {
  constructor(private readonly reporter: DecisionReporter) {}

  decide(req: IncomingMessage, checkpoint: Checkpoint): MaybePromise<OriginDecision> {
    const first = decidedFirst.get(req);
    if (first !== undefined && first.policy === checkpoint.policy) return first.decision;
    // The checkpoint is the scope (its gateways and path), and the synchronous path makes no
    // closure: an allowed handshake whose origin is in the decision cache allocates nothing.
    const decision = checkpoint.policy.evaluate(req, checkpoint);
    if (isPromiseLike(decision)) {
      return decision.then((settled) =>
        this.reporter.effective('handshake', settled, req, checkpoint),
      );
    }
    return this.reporter.effective('handshake', decision, req, checkpoint);
  }

  /**
   * Decides a request that later checks will see again (the app-wide gate, before the adapter
   * serving it): a later `decide()` with the same policy reuses the decision instead of
   * deciding and reporting it twice.
   */
  decideFirst(req: IncomingMessage, checkpoint: Checkpoint): MaybePromise<OriginDecision> {
    const decision = this.decide(req, checkpoint);
    if (isPromiseLike(decision)) {
      return decision.then((settled) => this.remember(req, checkpoint, settled));
    }
    return this.remember(req, checkpoint, decision);
  }

  private remember(req: IncomingMessage, { policy }: Checkpoint, decision: OriginDecision) {
    // A refused request goes no further, so nothing will ask again.
    if (decision.allowed) decidedFirst.set(req, { policy, decision });
    return decision;
  }

  /**
   * Refuses a request for a rule of the transport rather than of the allowlist (JSONP
   * polling), reported and subject to report-only like any refusal.
   */
  refuse(req: IncomingMessage, checkpoint: Checkpoint, reason: 'jsonp'): OriginDecision {
    const claim = readOriginClaim(req.rawHeaders);
    const claimed = claim.kind === 'missing' ? undefined : claim.value;
    // Reported even where the checkpoint is quiet: no later check looks at the transport.
    const refusal: OriginDecision = { allowed: false, reason, claimed };
    return this.reporter.enforce('handshake', refusal, req, checkpoint).effective;
  }
}
