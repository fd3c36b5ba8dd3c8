import {
  decisionEvent,
  decisionFacts,
  type OriginDecisionEvent,
} from '../policy/decision-event.js';
import { effectiveDecision, type Enforcement, enforce } from '../policy/enforcement.js';
import type { HandshakeRequest } from '../policy/handshake-request.js';
import type { OriginDecision } from '../policy/origin-decision.js';
import type { Checkpoint } from './checkpoint.js';
import { describeDecision, quoteForLog } from './decision-log-line.js';
import { LastLine } from './last-line.js';
import { isPromiseLike } from './maybe-async.js';
import { readRequestHeaders } from '../policy/request-headers.js';
import { clientAddress } from '../policy/request-origin.js';
import { RateLimitedLog, type RateLimits, type WarningLogger } from './rate-limited-log.js';

export type DecisionListener = (event: OriginDecisionEvent) => unknown;

/**
 * Tells the outside world about decisions: a rate-limited warning for each refusal, "would
 * refuse" in report-only mode and each fail-open predicate failure, and every decision to the
 * `onDecision` hook. A hook that throws or rejects is logged; it never changes a verdict and
 * never reaches the caller.
 */
export class DecisionReporter {
  private readonly log: RateLimitedLog;
  private readonly lastLine = new LastLine();

  constructor(
    logger: WarningLogger,
    private readonly onDecision: DecisionListener | undefined,
    limits?: RateLimits,
    now?: () => number,
  ) {
    this.log = new RateLimitedLog(logger, limits, now);
  }

  /** Whether every decision must be reported (a hook is set), not only the ones worth a log line. */
  get listening(): boolean {
    return this.onDecision !== undefined;
  }

  /**
   * Applies the policy's mode to a decision (see `enforce`) and reports it when it is worth
   * reporting: a refusal, a failed-open predicate, or any decision while a hook listens. For
   * the checks no later check follows (messages, transport rules), so it always reports.
   */
  enforce(
    stage: OriginDecisionEvent['stage'],
    decision: OriginDecision,
    request: HandshakeRequest,
    checkpoint: Checkpoint,
  ): Enforcement {
    const enforcement = enforce(decision, checkpoint.policy.settings.mode);
    this.reportDecision(stage, decision, enforcement.reportOnly, request, checkpoint);
    return enforcement;
  }

  /**
   * `enforce(…).effective`, for handshakes: the same decision and the same reports, without the
   * `Enforcement` record, so that an allowed handshake with nothing to report allocates nothing.
   * An unenforced refusal at a quiet checkpoint is left unreported: the checks that follow
   * report it (see `Checkpoint.quietWhenReportOnly`).
   */
  effective(
    stage: OriginDecisionEvent['stage'],
    decision: OriginDecision,
    request: HandshakeRequest,
    checkpoint: Checkpoint,
  ): OriginDecision {
    if (decision.allowed && decision.failure === undefined && this.onDecision === undefined) {
      return decision;
    }
    const { mode } = checkpoint.policy.settings;
    const reportOnly = !decision.allowed && mode === 'report-only';
    if (!(reportOnly && checkpoint.quietWhenReportOnly === true)) {
      this.reportDecision(stage, decision, reportOnly, request, checkpoint);
    }
    return effectiveDecision(decision, mode);
  }

  /**
   * Reports a decision when it is worth reporting. The event is built only when someone reads
   * it: a hook, or a log line the rate limit still lets through. A flood of refusals past the
   * limit then costs a counter, not an event and its parsed `Host` per refusal; a line alone
   * is built from the facts it states, without the `Host`.
   */
  private reportDecision(
    stage: OriginDecisionEvent['stage'],
    decision: OriginDecision,
    reportOnly: boolean,
    request: HandshakeRequest,
    { policy, gateways, path }: Checkpoint,
  ): void {
    const { trustProxy } = policy.settings;
    if (this.onDecision !== undefined) {
      const site = { stage, reportOnly, trustProxy, gateways, path };
      const event = decisionEvent(decision, request, site);
      if (event.verdict === 'refused' || event.detail !== undefined) {
        this.log.warn(() => describeDecision(event)!);
      }
      this.notify(this.onDecision, event);
      return;
    }
    const logged = !decision.allowed || decision.failure !== undefined;
    if (!logged || !this.log.reserve()) return;
    // No hook: only the line is built, from the facts it states (no host to work out), and
    // not again for a refusal identical to the last one: the rate limit only counts it.
    const headers = readRequestHeaders(request.rawHeaders);
    const remoteAddress = clientAddress(request, trustProxy, headers);
    const inputs = [decision, stage, reportOnly, gateways, path, remoteAddress, headers.userAgent];
    const line = this.lastLine.line(inputs, () => {
      const site = { stage, reportOnly, trustProxy, gateways, path };
      return describeDecision(decisionFacts(decision, request, site, headers))!;
    });
    this.log.warn(line);
  }

  private notify(listener: DecisionListener, event: OriginDecisionEvent): void {
    try {
      const result = listener(event);
      if (isPromiseLike(result)) {
        result.then(undefined, (error: unknown) => this.hookFailed(error));
      }
    } catch (error) {
      this.hookFailed(error);
    }
  }

  private hookFailed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.warn(`onDecision hook failed (${quoteForLog(message)}); the decision stands.`);
  }
}
