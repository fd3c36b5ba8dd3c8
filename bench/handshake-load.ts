import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { quantileOfSorted } from './stats.js';
import { handshakeRequest } from './handshake-request.js';
import { distinctRefusedOrigin } from './bench-origins.js';

export interface HandshakeJob {
  readonly port: number;
  readonly path: string;
  /** A WebSocket upgrade (the default), or the plain GET of an engine.io polling handshake. */
  readonly kind?: 'upgrade' | 'poll';
  /** One origin for every handshake, or a series name for a distinct origin per handshake. */
  readonly origin: { readonly fixed: string } | { readonly distinctSeries: string };
  /** The status the server must answer; any other answer counts as a failure. */
  readonly expectStatus: 101 | 200 | 403;
  readonly concurrency: number;
  /** Bounds: stop starting handshakes after this long, or after this many. */
  readonly durationMs: number;
  readonly maxCount: number;
  /** Per-handshake bound. */
  readonly timeoutMs: number;
}

export interface HandshakeResult {
  readonly completed: number;
  readonly failed: number;
  readonly statuses: Record<string, number>;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** This process's CPU time over the run, as a share of one core: near 1 means client-bound. */
  readonly clientCpuShare: number;
}

/**
 * Every handshake the server answered, with any status: those answered after the deadline were
 * still served while its CPU time was read.
 */
export function answeredCount(result: HandshakeResult): number {
  return Object.values(result.statuses).reduce((sum, n) => sum + n, 0);
}

/**
 * Keeps `concurrency` raw TCP handshakes in flight: connect, send the upgrade request, read
 * the status line, close. Raw sockets instead of a WebSocket client keep the client's cost
 * per handshake small (no key check, no frame parser), so that the server is the bottleneck.
 * Latency runs from `connect()` to the status line.
 */
export async function runHandshakes(job: HandshakeJob): Promise<HandshakeResult> {
  const tally = new HandshakeTally(job.maxCount);
  await runSlice(job, tally);
  return tally.result();
}

/** Handshakes to several servers in turn, in short slices: see `runInterleavedHandshakes`. */
export interface InterleavedHandshakeJob {
  /** One job per server; its `durationMs` is ignored. */
  readonly jobs: readonly HandshakeJob[];
  /** Which result each job adds to (several servers of one variant share one); indices from 0. */
  readonly resultOf: readonly number[];
  readonly sliceMs: number;
  /** The order of the jobs (indices into `jobs`) in each cycle of slices; one row per cycle. */
  readonly cycles: readonly (readonly number[])[];
}

/**
 * Runs `jobs` in turn, one slice of `sliceMs` each, cycle after cycle, and sums the slices of
 * the jobs of each result: every server meets the machine's drift of the whole run, not of a
 * window of its own (on a shared VM, one server's speed swung 141-277 µs per handshake from one
 * 1.5 s window to the next). Only one server is loaded at a time, so none competes with another
 * for its core.
 * @returns one result per result index.
 */
export async function runInterleavedHandshakes(
  job: InterleavedHandshakeJob,
): Promise<HandshakeResult[]> {
  const results = Math.max(...job.resultOf) + 1;
  const tallies = Array.from({ length: results }, (_, r) => {
    const maxCount = job.jobs.reduce(
      (sum, one, i) => sum + (job.resultOf[i] === r ? one.maxCount : 0),
      0,
    );
    return new HandshakeTally(maxCount);
  });
  for (const cycle of job.cycles) {
    for (const index of cycle) {
      const tally = tallies[job.resultOf[index]!]!;
      await runSlice({ ...job.jobs[index]!, durationMs: job.sliceMs }, tally);
    }
  }
  return tallies.map((tally) => tally.result());
}

/** What the slices of one job added up to. */
class HandshakeTally {
  readonly latencies: Float64Array;
  completed = 0;
  failed = 0;
  readonly statuses: Record<string, number> = {};
  elapsedMs = 0;
  wallMs = 0;
  clientCpuUs = 0;

  constructor(maxCount: number) {
    this.latencies = new Float64Array(maxCount);
  }

  result(): HandshakeResult {
    const sorted = this.latencies.subarray(0, this.completed).toSorted();
    return {
      completed: this.completed,
      failed: this.failed,
      statuses: this.statuses,
      elapsedMs: this.elapsedMs,
      perSecond: (this.completed * 1000) / this.elapsedMs,
      p50Ms: quantileOfSorted(sorted, 0.5),
      p99Ms: quantileOfSorted(sorted, 0.99),
      clientCpuShare: this.clientCpuUs / 1000 / this.wallMs,
    };
  }
}

/** Runs `job` for its `durationMs`, adding what it answered to `tally`. */
function runSlice(job: HandshakeJob, tally: HandshakeTally): Promise<void> {
  const fixedRequest =
    'fixed' in job.origin
      ? handshakeRequest(job.port, job.path, job.origin.fixed, job.kind)
      : undefined;
  const series = 'distinctSeries' in job.origin ? job.origin.distinctSeries : '';
  const expected = String(job.expectStatus);
  const { latencies, statuses } = tally;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const deadline = start + job.durationMs;
  let started = 0;
  let inFlight = 0;
  let lastCompletion = start;

  return new Promise((resolve) => {
    const finish = () => {
      tally.elapsedMs += Math.min(deadline, lastCompletion) - start;
      tally.wallMs += performance.now() - start;
      const cpu = process.cpuUsage(cpuBefore);
      tally.clientCpuUs += cpu.user + cpu.system;
      resolve();
    };

    const launch = () => {
      while (
        inFlight < job.concurrency &&
        tally.completed + inFlight < latencies.length &&
        started < job.maxCount &&
        performance.now() < deadline
      ) {
        startOne(started++);
      }
      if (inFlight === 0) finish();
    };

    const startOne = (index: number) => {
      inFlight++;
      const request =
        fixedRequest ??
        handshakeRequest(job.port, job.path, distinctRefusedOrigin(series, index), job.kind);
      const began = performance.now();
      const socket = connect({ port: job.port, host: '127.0.0.1', noDelay: true });
      let head = '';
      let settled = false;
      const settle = (status: string | undefined) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        const now = performance.now();
        const key = status ?? 'error';
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (status === expected && now <= deadline) {
          latencies[tally.completed++] = now - began;
          lastCompletion = now;
        } else if (status !== expected) {
          tally.failed++;
        }
        inFlight--;
        launch();
      };
      socket.setTimeout(job.timeoutMs, () => settle('timeout'));
      socket.on('data', (chunk: Buffer) => {
        head += chunk.toString('latin1', 0, Math.min(chunk.length, 16));
        // "HTTP/1.1 101 ..." : the code is at 9..12.
        if (head.length >= 12) settle(head.slice(9, 12));
      });
      socket.on('error', () => settle(undefined));
      socket.on('close', () => settle(undefined));
      socket.write(request);
    };

    launch();
  });
}
