import { performance } from 'node:perf_hooks';

/**
 * Keeps `npm run bench` under its time limit on a shared machine. The planned work is known
 * up front; waiting for a quiet machine and re-running disturbed runs may only spend the
 * slack, the time left once the rest of the plan is paid for.
 */
export class TimeBudget {
  private readonly deadline: number;

  constructor(
    totalMs: number,
    private plannedMs: number,
  ) {
    this.deadline = performance.now() + totalMs;
  }

  /** Planned work that has been done (or dropped). */
  done(plannedMs: number): void {
    this.plannedMs = Math.max(0, this.plannedMs - plannedMs);
  }

  slackMs(): number {
    return this.deadline - performance.now() - this.plannedMs;
  }
}
