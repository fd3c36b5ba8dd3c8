import type { ServerAdapter } from './bench-app.js';
import { ALLOWED_ORIGIN, REFUSED_ORIGIN } from './bench-origins.js';
import type { BenchChild } from './child.js';
import {
  cpuSnapshot,
  leastDisturbed,
  otherLoad,
  waitForQuietMachine,
  wallMs,
} from './cpu-contention.js';
import type { HandshakeJob, HandshakeResult } from './handshake-load.js';
import { startServer, type ServerOptions } from './server-handle.js';
import type { TimeBudget } from './time-budget.js';

export interface HandshakeVariant {
  readonly key: string;
  readonly label: string;
  readonly adapter: ServerAdapter;
  readonly path: string;
  readonly origin: string;
  readonly expectStatus: 101 | 403;
}

export const WS_HANDSHAKE_VARIANTS: readonly HandshakeVariant[] = [
  {
    key: 'ws-plain',
    label: 'Nest `WsAdapter`, no check',
    adapter: 'ws-plain',
    path: '/',
    origin: ALLOWED_ORIGIN,
    expectStatus: 101,
  },
  {
    key: 'ws-allowed',
    label: '`OriginWsAdapter`, allowed origin',
    adapter: 'ws-origin',
    path: '/',
    origin: ALLOWED_ORIGIN,
    expectStatus: 101,
  },
  {
    key: 'ws-refused',
    label: '`OriginWsAdapter`, refused origin',
    adapter: 'ws-origin',
    path: '/',
    origin: REFUSED_ORIGIN,
    expectStatus: 403,
  },
];

/** A raw engine.io WebSocket upgrade: what a Socket.IO client sends with `transports: ['websocket']`. */
const ENGINE_IO_WEBSOCKET = '/socket.io/?EIO=4&transport=websocket';

export const IO_HANDSHAKE_VARIANTS: readonly HandshakeVariant[] = [
  {
    key: 'io-plain',
    label: 'Nest `IoAdapter`, no check',
    adapter: 'io-plain',
    path: ENGINE_IO_WEBSOCKET,
    origin: ALLOWED_ORIGIN,
    expectStatus: 101,
  },
  {
    key: 'io-allowed',
    label: '`OriginIoAdapter`, allowed origin',
    adapter: 'io-origin',
    path: ENGINE_IO_WEBSOCKET,
    origin: ALLOWED_ORIGIN,
    expectStatus: 101,
  },
  {
    key: 'io-refused',
    label: '`OriginIoAdapter`, refused origin',
    adapter: 'io-origin',
    path: ENGINE_IO_WEBSOCKET,
    origin: REFUSED_ORIGIN,
    expectStatus: 403,
  },
];

export interface HandshakeSettings {
  readonly rounds: number;
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** Planned wall time of one run: server start and stop, warm-up, measurement. */
export function handshakeRunMs(settings: HandshakeSettings): number {
  return 1_200 + settings.warmupMs + settings.measureMs;
}

export interface HandshakeRun extends HandshakeResult {
  /** Server CPU time per answered handshake in the measured window. */
  readonly serverCpuUsPerHandshake: number;
  /** Server CPU time over wall time while measuring: near 1 means the server was the bottleneck. */
  readonly serverCpuShare: number;
  readonly refusalLogLines: number;
  /** Cores used by other processes on the machine while measuring. */
  readonly otherLoadCores: number;
}

/** One fresh server per run; variants alternate A B C A B C ... so drift spreads evenly. */
export async function runHandshakeBench(
  client: BenchChild,
  variants: readonly HandshakeVariant[],
  settings: HandshakeSettings,
  budget: TimeBudget,
  serverOptions: ServerOptions,
  progress: (line: string) => void,
): Promise<Map<string, HandshakeRun[]>> {
  const runs = new Map<string, HandshakeRun[]>(variants.map((v) => [v.key, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const variant of variants) {
      const run = await leastDisturbed(
        () => runOnce(client, variant, settings, budget, serverOptions),
        budget,
        handshakeRunMs(settings),
        (disturbed) => progress(`(${variant.key} disturbed: ${disturbedBy(disturbed)}; again)`),
      );
      runs.get(variant.key)!.push(run);
      progress(
        `handshakes ${variant.key} round ${round + 1}: ${Math.round(run.perSecond)}/s, ` +
          `p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, ` +
          `server ${run.serverCpuUsPerHandshake.toFixed(1)} µs/handshake ` +
          `(${(run.serverCpuShare * 100).toFixed(0)}% busy), ` +
          `client ${(run.clientCpuShare * 100).toFixed(0)}% busy, ${disturbedBy(run)}`,
      );
    }
  }
  return runs;
}

export function disturbedBy(run: { readonly otherLoadCores: number }): string {
  return `other processes ${run.otherLoadCores.toFixed(2)} cores`;
}

async function runOnce(
  client: BenchChild,
  variant: HandshakeVariant,
  settings: HandshakeSettings,
  budget: TimeBudget,
  serverOptions: ServerOptions,
): Promise<HandshakeRun> {
  const server = await startServer(variant.adapter, serverOptions, variant.key);
  try {
    const job = (durationMs: number): HandshakeJob => ({
      port: server.port,
      path: variant.path,
      origin: { fixed: variant.origin },
      expectStatus: variant.expectStatus,
      concurrency: settings.concurrency,
      durationMs,
      maxCount: 200_000,
      timeoutMs: 5_000,
    });
    const call = (durationMs: number) =>
      client.rpc.call<HandshakeResult>('handshakes', job(durationMs), durationMs + 15_000);
    await call(settings.warmupMs);
    const pids = [server.pid, client.pid, process.pid];
    await waitForQuietMachine(pids, Math.min(5_000, budget.slackMs()));
    const logLinesBefore = server.refusalLogLines();
    await server.startProfile();
    const before = await server.usage({ gc: false });
    const cpuBefore = cpuSnapshot(pids);
    const result = await call(settings.measureMs);
    const cpuAfter = cpuSnapshot(pids);
    const after = await server.usage({ gc: false });
    await server.stopProfile();
    if (result.failed > 0) {
      throw new Error(
        `${variant.key}: ${result.failed} handshakes failed: ${JSON.stringify(result.statuses)}`,
      );
    }
    // Handshakes answered after the deadline were still served inside the CPU window.
    const answered = Object.values(result.statuses).reduce((sum, n) => sum + n, 0);
    const serverCpuUs = after.cpuUs - before.cpuUs;
    return {
      ...result,
      serverCpuUsPerHandshake: serverCpuUs / answered,
      serverCpuShare: serverCpuUs / 1000 / wallMs(cpuBefore, cpuAfter),
      refusalLogLines: server.refusalLogLines() - logLinesBefore,
      otherLoadCores: otherLoad(cpuBefore, cpuAfter),
    };
  } finally {
    await server.stop();
  }
}
