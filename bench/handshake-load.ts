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
 * Keeps `concurrency` raw TCP handshakes in flight: connect, send the upgrade request, read
 * the status line, close. Raw sockets instead of a WebSocket client keep the client's cost
 * per handshake small (no key check, no frame parser), so that the server is the bottleneck.
 * Latency runs from `connect()` to the status line.
 */
export function runHandshakes(job: HandshakeJob): Promise<HandshakeResult> {
  const fixedRequest =
    'fixed' in job.origin
      ? handshakeRequest(job.port, job.path, job.origin.fixed, job.kind)
      : undefined;
  const series = 'distinctSeries' in job.origin ? job.origin.distinctSeries : '';
  const expected = String(job.expectStatus);
  const latencies = new Float64Array(job.maxCount);
  const statuses: Record<string, number> = {};
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const deadline = start + job.durationMs;
  let started = 0;
  let completed = 0;
  let failed = 0;
  let inFlight = 0;
  let lastCompletion = start;

  return new Promise((resolve) => {
    const finish = () => {
      const elapsedMs = Math.min(deadline, lastCompletion) - start;
      const sorted = latencies.subarray(0, completed).toSorted();
      const cpu = process.cpuUsage(cpuBefore);
      resolve({
        completed,
        failed,
        statuses,
        elapsedMs,
        perSecond: (completed * 1000) / elapsedMs,
        p50Ms: quantileOfSorted(sorted, 0.5),
        p99Ms: quantileOfSorted(sorted, 0.99),
        clientCpuShare: (cpu.user + cpu.system) / 1000 / (performance.now() - start),
      });
    };

    const launch = () => {
      while (inFlight < job.concurrency && started < job.maxCount && performance.now() < deadline) {
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
          latencies[completed++] = now - began;
          lastCompletion = now;
        } else if (status !== expected) {
          failed++;
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
