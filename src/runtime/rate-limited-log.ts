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
  /** What the first line of a window says about the previous one. */
  private carried = '';

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
    if (!this.reserve()) return;
    const text = typeof line === 'function' ? line() : line;
    if (this.writtenThisWindow.has(text)) {
      this.heldBack++;
      return;
    }
    this.writtenThisWindow.add(text);
    const carried = this.carried;
    this.carried = '';
    this.logger.warn(text + carried);
  }

  /**
   * Whether a line may still be written in this window. When it may not, the line is counted
   * as held back, exactly as `warn` would count it: a caller whose line is costly to build (an
   * event first, then its text) asks this first and skips the building.
   */
  reserve(): boolean {
    const time = this.now();
    if (time - this.windowStart >= this.limits.windowMs) {
      if (this.heldBack > 0) {
        this.carried = ` (${this.heldBack} more lines were not logged in the previous ${this.limits.windowMs / 1000}s)`;
      }
      this.windowStart = time;
      this.writtenThisWindow.clear();
      this.heldBack = 0;
    }
    if (this.writtenThisWindow.size >= this.limits.linesPerWindow) {
      this.heldBack++;
      return false;
    }
    return true;
  }
}
