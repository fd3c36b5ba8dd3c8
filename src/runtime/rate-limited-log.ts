/** Where warnings go: Nest's `Logger` fits, and so does `console`. */
export interface WarningLogger {
  warn(message: string): unknown;
}

export interface RateLimits {
  /** Length of one rate-limit window. */
  readonly windowMs: number;
  /** Distinct lines written per window; an identical line is written once per window. */
  readonly linesPerWindow: number;
}

const DEFAULT_RATE_LIMITS: RateLimits = { windowMs: 60_000, linesPerWindow: 20 };

/**
 * Writes warnings whose content a client controls, so that a hostile client cannot flood the
 * logs (or grow memory) with endless distinct values: per window, an identical line is written
 * once and at most `linesPerWindow` lines are written; how many were held back is reported
 * with the first line of a later window.
 */
export class RateLimitedLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private readonly writtenThisWindow = new Set<string>();
  private heldBack = 0;

  constructor(
    private readonly logger: WarningLogger,
    private readonly limits: RateLimits = DEFAULT_RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * @param line The line, or a function that builds it: called only when a line can still be
   *   written this window, so a flood costs no string building once the budget is spent.
   */
  warn(line: string | (() => string)): void {
    const time = this.now();
    let carried = '';
    if (time - this.windowStart >= this.limits.windowMs) {
      if (this.heldBack > 0) {
        carried = ` (${this.heldBack} more lines were not logged in the previous ${this.limits.windowMs / 1000}s)`;
      }
      this.windowStart = time;
      this.writtenThisWindow.clear();
      this.heldBack = 0;
    }
    if (this.writtenThisWindow.size >= this.limits.linesPerWindow) {
      this.heldBack++;
      return;
    }
    const text = typeof line === 'function' ? line() : line;
    if (this.writtenThisWindow.has(text)) {
      this.heldBack++;
      return;
    }
    this.writtenThisWindow.add(text);
    this.logger.warn(text + carried);
  }
}
