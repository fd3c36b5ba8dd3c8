import type { LoggerService } from '@nestjs/common';
import { decisionEvent, type OriginDecisionEvent } from './policy/decision-event.js';
import type { HandshakeRequest } from './policy/handshake-request.js';
import type { OriginDecision } from './policy/origin-decision.js';
import type { OriginPolicy } from './policy/origin-policy.js';
import { RateLimitedLog, type RateLimits } from './rate-limited-log.js';

export type DecisionListener = (event: OriginDecisionEvent) => unknown;

/**
 * Tells the outside world about decisions: a rate-limited warning for each refusal, "would
 * refuse" in report-only mode and each fail-open predicate failure, and every decision to the
 * `onDecision` hook. A hook that throws or rejects is logged; it never changes a verdict and
 * never reaches the caller.
 */
export class DecisionReporter {
  private readonly log: RateLimitedLog;

  constructor(
    logger: Pick<LoggerService, 'warn'>,
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
   * Reports a decision when it is worth reporting (a refusal, a failed-open predicate, or any
   * decision while a hook listens) and applies the policy's mode: returns whether the request
   * may proceed, which a refusal in report-only mode does.
   */
  settle(
    stage: OriginDecisionEvent['stage'],
    decision: OriginDecision,
    policy: OriginPolicy,
    request: HandshakeRequest,
    gateways: readonly string[],
  ): boolean {
    const reportOnly = !decision.allowed && policy.settings.mode === 'report-only';
    if (!decision.allowed || decision.failure !== undefined || this.onDecision !== undefined) {
      this.report(
        decisionEvent(stage, decision, reportOnly, request, policy.settings.trustProxy, gateways),
      );
    }
    return decision.allowed || reportOnly;
  }

  report(event: OriginDecisionEvent): void {
    if (event.verdict === 'refused' || event.detail !== undefined) {
      this.log.warn(() => describeDecision(event)!);
    }
    if (this.onDecision !== undefined) this.notify(this.onDecision, event);
  }

  private notify(listener: DecisionListener, event: OriginDecisionEvent): void {
    try {
      const result = listener(event);
      if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
        (result as Promise<unknown>).then(undefined, (error: unknown) => this.hookFailed(error));
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

/** The log line for a decision, or `undefined` for a plain allowed one. */
export function describeDecision(event: OriginDecisionEvent): string | undefined {
  const { stage, verdict, reportOnly, reason, origin, detail } = event;
  const shownOrigin = origin === undefined ? '(none)' : quoteForLog(origin);
  const shownDetail = detail === undefined ? '' : ` detail=${quoteForLog(detail)}`;
  const where =
    stage === 'message'
      ? `handler=${event.gateway ?? '(unknown)'}`
      : `path=${quoteForLog(event.path)} gateway=${event.gateway ?? '(none)'}`;
  if (verdict === 'allowed') {
    if (detail === undefined) return undefined;
    return `Allowed WebSocket ${stage} although a predicate failed (predicates.onFailure: 'allow'): origin=${shownOrigin}${shownDetail} ${where}`;
  }
  const head = reportOnly
    ? `Would refuse WebSocket ${stage} (report-only)`
    : `Refused WebSocket ${stage}`;
  let line = `${head}: reason=${reason} origin=${shownOrigin}${shownDetail} ${where}`;
  if (reason === 'not_allowed') {
    line += `. If this page is yours, add ${shownOrigin.replaceAll('"', "'")} to the allowed origins.`;
  } else if (reason === 'missing' && detail === undefined) {
    line += '. Non-browser clients send no Origin; set allowMissingOrigin: true to accept them.';
  } else if (reason === 'browser_without_origin') {
    line +=
      '. A browser sent this request without Origin (a <script>, <img> or navigation); no allowMissingOrigin setting accepts it.';
  } else if (reason === 'jsonp') {
    line +=
      '. JSONP polling (a j= query parameter) lets a <script> tag on any site use the session; set allowJsonpPolling: true only if legacy clients need it.';
  }
  return line;
}

const MAX_LOGGED_LENGTH = 120;

/** Quotes attacker-controlled text: truncated, with quotes, backslashes and non-printables escaped. */
export function quoteForLog(text: string): string {
  const cut = text.length > MAX_LOGGED_LENGTH;
  const shown = cut ? text.slice(0, MAX_LOGGED_LENGTH) : text;
  let escaped = '';
  for (const char of shown) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') escaped += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) escaped += char;
    else if (code <= 0xff) escaped += `\\x${code.toString(16).padStart(2, '0')}`;
    else escaped += `\\u{${code.toString(16)}}`;
  }
  return `"${escaped}"${cut ? `…(${text.length} chars)` : ''}`;
}
