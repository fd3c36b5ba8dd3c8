import type { LoggerService } from '@nestjs/common';
import type { RefusalReason } from './policy/origin-decision.js';

export interface Refusal {
  /** A refused handshake, or a message refused by `OriginGuard`. */
  readonly stage: 'handshake' | 'message';
  readonly reason: RefusalReason;
  /** The raw claimed origin, `undefined` when missing. Attacker-controlled. */
  readonly claimed: string | undefined;
  readonly detail?: string | undefined;
  /** The request target (`req.url`); its query string is never logged. Attacker-controlled. */
  readonly url: string | undefined;
  readonly gateways: readonly string[];
  /** For message refusals: `Gateway.method`. */
  readonly handler?: string;
}

export interface RefusalLogLimits {
  /** Length of one rate-limit window. */
  readonly windowMs: number;
  /** Distinct refusal lines logged per window; identical refusals log once per window. */
  readonly linesPerWindow: number;
}

const DEFAULT_LIMITS: RefusalLogLimits = { windowMs: 60_000, linesPerWindow: 20 };
const MAX_LOGGED_LENGTH = 120;

/**
 * Writes one warning per refused handshake, rate limited so that a hostile client cannot flood
 * the logs (or grow memory) by sending endless distinct origins: per window, an identical
 * refusal is logged once and at most `linesPerWindow` lines are written; the count of the
 * rest is reported with the next line after the window ends.
 */
export class RefusalLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private readonly loggedThisWindow = new Set<string>();
  private suppressed = 0;

  constructor(
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly limits: RefusalLogLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  refused(refusal: Refusal): void {
    const line = describeRefusal(refusal);
    const time = this.now();
    let carried = '';
    if (time - this.windowStart >= this.limits.windowMs) {
      if (this.suppressed > 0) {
        carried = ` (${this.suppressed} more refusals were not logged in the previous ${this.limits.windowMs / 1000}s)`;
      }
      this.windowStart = time;
      this.loggedThisWindow.clear();
      this.suppressed = 0;
    }
    if (
      this.loggedThisWindow.has(line) ||
      this.loggedThisWindow.size >= this.limits.linesPerWindow
    ) {
      this.suppressed++;
      return;
    }
    this.loggedThisWindow.add(line);
    this.logger.warn(line + carried);
  }
}

export function describeRefusal(refusal: Refusal): string {
  const { stage, reason, claimed, detail, url, gateways, handler } = refusal;
  const origin = claimed === undefined ? '(none)' : quoteForLog(claimed);
  const gateway = gateways.length > 0 ? gateways.join(', ') : '(none)';
  const why = detail === undefined ? '' : ` detail="${detail}"`;
  const where =
    handler === undefined
      ? `path=${quoteForLog(pathOf(url))} gateway=${gateway}`
      : `handler=${handler}`;
  let line = `Refused WebSocket ${stage}: reason=${reason} origin=${origin}${why} ${where}`;
  if (reason === 'not_allowed') {
    line += `. If this page is yours, add ${origin.replaceAll('"', "'")} to the allowed origins.`;
  } else if (reason === 'missing' && detail === undefined) {
    line += '. Non-browser clients send no Origin; set allowMissingOrigin: true to accept them.';
  }
  return line;
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

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
