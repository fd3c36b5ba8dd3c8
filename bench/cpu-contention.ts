import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { TimeBudget } from './time-budget.js';

/**
 * How much of the machine other processes used while we measured. The working machine is
 * shared, and a busy neighbour on a 2-core box changes throughput far more than anything
 * under test: a run is only as good as this number says. Linux only (`/proc`); elsewhere the
 * readings are `undefined`.
 */
export interface CpuSnapshot {
  readonly busyTicks: number;
  readonly ownTicks: number;
  readonly at: number;
}

const TICKS_PER_SECOND = 100;

export function cpuSnapshot(ownPids: readonly number[]): CpuSnapshot | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal ...
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    // Interrupt time is left out: loopback packet processing is largely our own traffic.
    const [user, nice, system, , , , , steal] = fields.slice(1).map(Number);
    const busyTicks = user! + nice! + system! + steal!;
    return { busyTicks, ownTicks: processTicks(ownPids), at: performance.now() };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, in ticks) the processes `pids` have used so far. */
function processTicks(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    // utime and stime are fields 14 and 15; the command name may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(rest[11]) + Number(rest[12]);
  }
  return ticks;
}

/** Wall time between two snapshots, in ms (`NaN` without `/proc`). */
export function wallMs(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): number {
  return before === undefined || after === undefined ? Number.NaN : after.at - before.at;
}

/** CPU used by processes other than ours between two snapshots, in cores (0 = quiet). */
export function otherLoad(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): number {
  if (before === undefined || after === undefined) return Number.NaN;
  const seconds = (after.at - before.at) / 1000;
  const others = after.busyTicks - before.busyTicks - (after.ownTicks - before.ownTicks);
  return Math.max(0, others / TICKS_PER_SECOND / seconds);
}

/**
 * Above this, other processes took a real share of a core from a run. Loopback traffic
 * itself keeps kernel threads (ksoftirqd) at up to ~0.2 cores, which is not a neighbour.
 */
export const BUSY_MACHINE_CORES = 0.3;

/**
 * Waits (bounded) until other processes leave the machine alone, sampling in short windows,
 * and until the bench's own idle processes (`idlePids`: the servers not being measured) have
 * finished what their last window left them (closing sessions, a GC): they share the measured
 * server's core, and their work there is not counted as other load reliably.
 * @returns the last sample's other load, in cores.
 */
export async function waitForQuietMachine(
  ownPids: readonly number[],
  maxWaitMs: number,
  idlePids: readonly number[] = [],
): Promise<number> {
  const giveUpAt = performance.now() + maxWaitMs;
  for (;;) {
    const before = cpuSnapshot(ownPids);
    const idleBefore = ticksOrNaN(idlePids);
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const load = otherLoad(before, cpuSnapshot(ownPids));
    const idleTicks = ticksOrNaN(idlePids) - idleBefore;
    const quiet = !(load >= BUSY_MACHINE_CORES) && !(idleTicks > IDLE_TICKS);
    if (quiet || performance.now() >= giveUpAt) return load;
  }
}

const SAMPLE_MS = 250;
/** At most this much CPU time (1 tick, 10 ms: 4% of a core) per sample counts as idle. */
const IDLE_TICKS = 1;

function ticksOrNaN(pids: readonly number[]): number {
  try {
    return processTicks(pids);
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs a measurement again when other processes loaded the machine during it, as long as
 * the time budget has room for another run, and keeps the least disturbed attempt. Every
 * attempt is a complete run with a fresh server.
 */
export async function leastDisturbed<T extends { readonly otherLoadCores: number }>(
  attempt: () => Promise<T>,
  budget: TimeBudget,
  runMs: number,
  onRetry: (run: T) => void,
): Promise<T & { readonly attempts: number }> {
  let best: T | undefined;
  let attempts = 0;
  for (;;) {
    attempts++;
    const run = await attempt();
    if (best === undefined || run.otherLoadCores < best.otherLoadCores) best = run;
    if (!(run.otherLoadCores > BUSY_MACHINE_CORES) || budget.slackMs() < runMs) break;
    onRetry(run);
  }
  budget.done(runMs);
  return { ...best, attempts };
}
