import { ALLOWED_ORIGIN } from './bench-origins.js';
import type { BenchChild } from './child.js';
import { balancedOrder } from './balanced-order.js';
import { leastDisturbed, waitForQuietMachine } from './cpu-contention.js';
import { disturbedBy } from './handshake-bench.js';
import { measureWindow } from './measure-window.js';
import type { OpenJob, PumpJob, PumpResult } from './message-load.js';
import { type ServerHandle, startServer, type ServerOptions } from './server-handle.js';
import { spread } from './stats.js';
import type { TimeBudget } from './time-budget.js';

export interface MessageVariant {
  readonly key: string;
  readonly label: string;
  /** The `BenchGateway` event. */
  readonly event: 'plain' | 'allow' | 'guard';
}

export const MESSAGE_VARIANTS: readonly MessageVariant[] = [
  { key: 'msg-plain', label: 'no guard', event: 'plain' },
  { key: 'msg-plain-b', label: 'no guard (A/A control: the same handler again)', event: 'plain' },
  { key: 'msg-allow', label: 'a guard that returns `true` (Nest’s guard cost)', event: 'allow' },
  { key: 'msg-guard', label: '`OriginGuard`', event: 'guard' },
];

export interface MessageSettings {
  readonly rounds: number;
  readonly connections: number;
  readonly warmupMs: number;
  /** Measured slices per variant and round, and the length of each. */
  readonly slices: number;
  readonly sliceMs: number;
}

/** Planned wall time of one round: server start and stop, connections, warm-up, slices. */
export function messageRoundMs(settings: MessageSettings): number {
  return (
    1_500 + settings.warmupMs + settings.slices * MESSAGE_VARIANTS.length * (settings.sliceMs + 100)
  );
}

export interface MessageRun {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly serverCpuUsPerRoundTrip: number;
  /** Server CPU time over wall time while measuring: near 1 means the server was the bottleneck. */
  readonly serverCpuShare: number;
  readonly clientCpuShare: number;
  /** Cores used by other processes on the machine while measuring (worst slice). */
  readonly otherLoadCores: number;
}

/**
 * Round trips on open connections through `OriginWsAdapter` (the guard needs the origin it
 * records). The variants are handlers of one gateway, so each round runs them all on one fresh
 * server, in short slices that alternate A B C A B C …: separate servers per variant differed
 * by more than the effect measured (JIT warm-up and process-to-process variation).
 */
export async function runMessageBench(
  client: BenchChild,
  settings: MessageSettings,
  budget: TimeBudget,
  serverOptions: ServerOptions,
  progress: (line: string) => void,
): Promise<Map<string, MessageRun[]>> {
  const runs = new Map<string, MessageRun[]>(MESSAGE_VARIANTS.map((v) => [v.key, []]));
  for (let round = 0; round < settings.rounds; round++) {
    const result = await leastDisturbed(
      () => runRound(client, settings, budget, serverOptions, round),
      budget,
      messageRoundMs(settings),
      (disturbed) =>
        progress(`(messages round ${round + 1} disturbed: ${disturbedBy(disturbed)}; again)`),
    );
    for (const variant of MESSAGE_VARIANTS) {
      const run = result.byVariant.get(variant.key)!;
      runs.get(variant.key)!.push(run);
      progress(
        `messages ${variant.key} round ${round + 1}: ${Math.round(run.perSecond)} round trips/s, ` +
          `p50 ${run.p50Ms.toFixed(2)} ms, server ${run.serverCpuUsPerRoundTrip.toFixed(1)} µs ` +
          `per round trip (${(run.serverCpuShare * 100).toFixed(0)}% busy), ` +
          `client ${(run.clientCpuShare * 100).toFixed(0)}% busy, ${disturbedBy(run)}`,
      );
    }
  }
  return runs;
}

interface RoundResult {
  readonly byVariant: Map<string, MessageRun>;
  readonly otherLoadCores: number;
}

interface Slice {
  readonly pump: PumpResult;
  readonly wallMs: number;
  readonly serverCpuUs: number;
  readonly otherLoadCores: number;
}

async function runRound(
  client: BenchChild,
  settings: MessageSettings,
  budget: TimeBudget,
  serverOptions: ServerOptions,
  round: number,
): Promise<RoundResult> {
  const server = await startServer('ws-origin', serverOptions, `messages-r${round + 1}`);
  try {
    const open: OpenJob = {
      port: server.port,
      path: '/',
      origin: ALLOWED_ORIGIN,
      connections: settings.connections,
      timeoutMs: 5_000,
    };
    await client.rpc.call('openConnections', open, 20_000);
    // JIT warm-up takes seconds; every variant gets its share, in turn.
    const warmupSlice = settings.warmupMs / (2 * MESSAGE_VARIANTS.length);
    for (let i = 0; i < 2; i++) {
      for (const variant of MESSAGE_VARIANTS) await pump(client, variant, warmupSlice);
    }
    const pids = [server.pid, client.pid, process.pid];
    await waitForQuietMachine(pids, Math.min(5_000, budget.slackMs()));
    const slices = new Map<string, Slice[]>(MESSAGE_VARIANTS.map((v) => [v.key, []]));
    await server.startProfile();
    // Each round starts at another row, so no handler is always the first after the wait.
    for (let s = 0; s < settings.slices; s++) {
      for (const variant of balancedOrder(MESSAGE_VARIANTS, round + s)) {
        slices.get(variant.key)!.push(await measureSlice(client, server, variant, settings, pids));
      }
    }
    await server.stopProfile();
    await client.rpc.call('closeConnections', undefined, 5_000);
    const byVariant = new Map(
      MESSAGE_VARIANTS.map((v) => [v.key, summarize(slices.get(v.key)!)] as const),
    );
    const otherLoadCores = Math.max(...[...byVariant.values()].map((r) => r.otherLoadCores));
    return { byVariant, otherLoadCores };
  } finally {
    await server.stop();
  }
}

function pump(
  client: BenchChild,
  variant: MessageVariant,
  durationMs: number,
): Promise<PumpResult> {
  const job: PumpJob = { event: variant.event, durationMs, maxCount: 2_000_000, timeoutMs: 5_000 };
  return client.rpc.call<PumpResult>('pump', job, durationMs + 15_000);
}

async function measureSlice(
  client: BenchChild,
  server: ServerHandle,
  variant: MessageVariant,
  settings: MessageSettings,
  pids: number[],
): Promise<Slice> {
  const measured = await measureWindow(server, pids, () => pump(client, variant, settings.sliceMs));
  const { result } = measured;
  if (result.closedByServer > 0) {
    throw new Error(`${variant.key}: the server closed ${result.closedByServer} connections`);
  }
  const reply = JSON.parse(result.firstReply ?? '{}') as { event?: unknown };
  if (reply.event !== variant.event) {
    throw new Error(`${variant.key}: unexpected reply ${result.firstReply}`);
  }
  return {
    pump: result,
    wallMs: measured.wallMs,
    serverCpuUs: measured.serverCpuUs,
    otherLoadCores: measured.otherLoadCores,
  };
}

/** One round of one variant: its slices pooled. */
function summarize(slices: readonly Slice[]): MessageRun {
  const roundTrips = slices.reduce((sum, s) => sum + s.pump.roundTrips, 0);
  const measuredMs = slices.reduce(
    (sum, s) => sum + (s.pump.roundTrips * 1000) / s.pump.perSecond,
    0,
  );
  const wall = slices.reduce((sum, s) => sum + s.wallMs, 0);
  const serverCpuUs = slices.reduce((sum, s) => sum + s.serverCpuUs, 0);
  return {
    perSecond: (roundTrips * 1000) / measuredMs,
    p50Ms: spread(slices.map((s) => s.pump.p50Ms)).median,
    p99Ms: spread(slices.map((s) => s.pump.p99Ms)).median,
    serverCpuUsPerRoundTrip: serverCpuUs / roundTrips,
    serverCpuShare: serverCpuUs / 1000 / wall,
    clientCpuShare: spread(slices.map((s) => s.pump.clientCpuShare)).median,
    otherLoadCores: Math.max(...slices.map((s) => s.otherLoadCores)),
  };
}
