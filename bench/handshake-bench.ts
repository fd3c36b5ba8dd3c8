import type { ServerAdapter } from './bench-app.js';
import { ALLOWED_ORIGIN, REFUSED_ORIGIN } from './bench-origins.js';
import type { BenchChild } from './child.js';
import { balancedOrder } from './balanced-order.js';
import { cpuSnapshot, leastDisturbed, otherLoad, waitForQuietMachine } from './cpu-contention.js';
import {
  answeredCount,
  type HandshakeJob,
  type HandshakeResult,
  type InterleavedHandshakeJob,
} from './handshake-load.js';
import { type ServerHandle, startServer, type ServerOptions } from './server-handle.js';
import type { TimeBudget } from './time-budget.js';

export interface HandshakeVariant {
  readonly key: string;
  readonly label: string;
  readonly adapter: ServerAdapter;
  readonly path: string;
  /** A WebSocket upgrade, or an engine.io polling handshake (a plain `GET`). */
  readonly kind: 'upgrade' | 'poll';
  readonly origin: string;
  readonly expectStatus: 101 | 200 | 403;
}

/** A variant that makes a group's figures comparable: which key plays which part. */
export interface HandshakeGroupKeys {
  readonly plain: string;
  /** The same adapter as `plain` in a second server: the A/A control. */
  readonly control: string;
  readonly allowed: string;
  readonly refused: string;
  /** Polling handshakes (Socket.IO only), with their own A/A control. */
  readonly polling?: { readonly plain: string; readonly control: string; readonly allowed: string };
  readonly naiveRefused?: string;
  readonly bare?: string;
  /** A bare Node HTTP server answering every upgrade 403: the floor of a refusal. */
  readonly refusalFloor?: string;
  /** Ours with the app-wide upgrade gate taken off. */
  readonly allowedWithoutGate?: string;
}

const upgrade = (
  key: string,
  label: string,
  adapter: ServerAdapter,
  path: string,
  origin: string,
  expectStatus: 101 | 403,
): HandshakeVariant => ({ key, label, adapter, path, kind: 'upgrade', origin, expectStatus });

export const WS_HANDSHAKE_VARIANTS: readonly HandshakeVariant[] = [
  upgrade('ws-plain', 'Nest `WsAdapter`, no check', 'ws-plain', '/', ALLOWED_ORIGIN, 101),
  upgrade(
    'ws-plain-b',
    'Nest `WsAdapter`, no check (A/A control: a second server)',
    'ws-plain',
    '/',
    ALLOWED_ORIGIN,
    101,
  ),
  upgrade('ws-allowed', '`OriginWsAdapter`, allowed origin', 'ws-origin', '/', ALLOWED_ORIGIN, 101),
  upgrade('ws-refused', '`OriginWsAdapter`, refused origin', 'ws-origin', '/', REFUSED_ORIGIN, 403),
  upgrade(
    'ws-allowed-no-gate',
    '`OriginWsAdapter` with the app-wide upgrade gate taken off, allowed origin',
    'ws-origin-no-gate',
    '/',
    ALLOWED_ORIGIN,
    101,
  ),
  upgrade(
    'ws-naive-refused',
    'Nest `WsAdapter` + naive `verifyClient` (`Set` look-up, 403), refused origin',
    'ws-naive',
    '/',
    REFUSED_ORIGIN,
    403,
  ),
  upgrade(
    'ws-bare',
    'bare `ws` server, no Nest, no check (floor)',
    'ws-bare',
    '/',
    ALLOWED_ORIGIN,
    101,
  ),
  upgrade(
    'ws-refusal-floor',
    'bare Node HTTP server answering every upgrade 403, no Nest, no `ws`, no check (refusal floor)',
    'http-refuse',
    '/',
    REFUSED_ORIGIN,
    403,
  ),
];

export const WS_KEYS: HandshakeGroupKeys = {
  plain: 'ws-plain',
  control: 'ws-plain-b',
  allowed: 'ws-allowed',
  refused: 'ws-refused',
  naiveRefused: 'ws-naive-refused',
  bare: 'ws-bare',
  refusalFloor: 'ws-refusal-floor',
  allowedWithoutGate: 'ws-allowed-no-gate',
};

/** A raw engine.io WebSocket upgrade: what a Socket.IO client sends with `transports: ['websocket']`. */
const ENGINE_IO_WEBSOCKET = '/socket.io/?EIO=4&transport=websocket';
/** The first request of a default Socket.IO client: the polling handshake that opens a session. */
const ENGINE_IO_POLLING = '/socket.io/?EIO=4&transport=polling&t=bench';

export const IO_HANDSHAKE_VARIANTS: readonly HandshakeVariant[] = [
  upgrade(
    'io-plain',
    'Nest `IoAdapter`, no check',
    'io-plain',
    ENGINE_IO_WEBSOCKET,
    ALLOWED_ORIGIN,
    101,
  ),
  upgrade(
    'io-plain-b',
    'Nest `IoAdapter`, no check (A/A control: a second server)',
    'io-plain',
    ENGINE_IO_WEBSOCKET,
    ALLOWED_ORIGIN,
    101,
  ),
  upgrade(
    'io-allowed',
    '`OriginIoAdapter`, allowed origin',
    'io-origin',
    ENGINE_IO_WEBSOCKET,
    ALLOWED_ORIGIN,
    101,
  ),
  upgrade(
    'io-refused',
    '`OriginIoAdapter`, refused origin',
    'io-origin',
    ENGINE_IO_WEBSOCKET,
    REFUSED_ORIGIN,
    403,
  ),
  {
    key: 'io-poll-plain',
    label: 'Nest `IoAdapter`, polling handshake, no check',
    adapter: 'io-plain',
    path: ENGINE_IO_POLLING,
    kind: 'poll',
    origin: ALLOWED_ORIGIN,
    expectStatus: 200,
  },
  {
    key: 'io-poll-plain-b',
    label: 'Nest `IoAdapter`, polling handshake, no check (A/A control: a second server)',
    adapter: 'io-plain',
    path: ENGINE_IO_POLLING,
    kind: 'poll',
    origin: ALLOWED_ORIGIN,
    expectStatus: 200,
  },
  {
    key: 'io-poll-allowed',
    label: '`OriginIoAdapter`, polling handshake, allowed origin',
    adapter: 'io-origin',
    path: ENGINE_IO_POLLING,
    kind: 'poll',
    origin: ALLOWED_ORIGIN,
    expectStatus: 200,
  },
];

export const IO_KEYS: HandshakeGroupKeys = {
  plain: 'io-plain',
  control: 'io-plain-b',
  allowed: 'io-allowed',
  refused: 'io-refused',
  polling: { plain: 'io-poll-plain', control: 'io-poll-plain-b', allowed: 'io-poll-allowed' },
};

export interface HandshakeSettings {
  readonly rounds: number;
  readonly concurrency: number;
  /** Once per server, after it starts (JIT). */
  readonly warmupMs: number;
  /** Measured per variant and round, in slices of `sliceMs` interleaved with the others'. */
  readonly measureMs: number;
  readonly sliceMs: number;
  /** Server processes per variant, each warmed once; a variant's figures sum all of them. */
  readonly serversPerVariant: number;
}

/**
 * How long a round waits for every server to go idle, before its first reading and after its
 * last slice: long enough for the polling variants' sessions to close (0.5 s after their
 * handshake, see `bench.gateway.ts`), so that each server pays for closing the sessions it
 * opened, inside the round that opened them.
 */
const SESSIONS_CLOSED_MS = 700;
/** At most this long, the quiet wait included, also in `--quick` runs (no slack to spend). */
const IDLE_WAIT_MS = 2_000;

/** Planned wall time of one variant's share of a round (slice turnarounds and waits included). */
export function handshakeRunMs(settings: HandshakeSettings): number {
  return 250 + settings.measureMs * 1.2;
}

/** Planned wall time of starting, warming and stopping a group's servers. */
export function handshakeSetupMs(
  variants: readonly HandshakeVariant[],
  settings: HandshakeSettings,
): number {
  return variants.length * settings.serversPerVariant * (1_500 + settings.warmupMs);
}

/** One server process of a variant (`variant` indexes the group's variants). */
interface VariantServer {
  readonly server: ServerHandle;
  readonly variant: number;
}

export interface HandshakeRun extends HandshakeResult {
  /** Server CPU time per answered handshake in the measured round. */
  readonly serverCpuUsPerHandshake: number;
  /** Server CPU time over the wall time of its slices: near 1 means the server was the bottleneck. */
  readonly serverCpuShare: number;
  readonly refusalLogLines: number;
  /** Cores used by other processes on the machine while measuring. */
  readonly otherLoadCores: number;
}

/**
 * Servers started and warmed once and kept warm across rounds: a fresh server takes 2-3 s to
 * reach its steady speed. Each variant has `serversPerVariant` processes, and its figures sum
 * all of them: a process keeps its own speed for its whole life (heap layout, JIT decisions),
 * and two identical polling servers kept 0.86×-0.92× of each other in every round of one run,
 * so one process per variant would put a bias of that size into every ratio (the A/A control
 * is as many processes of the same code).
 *
 * Within a round the variants are interleaved in short slices, one server loaded at a time, in
 * an order that changes every cycle (`balancedOrder`, so each follows every other equally
 * often), and each server's CPU time is read over the whole round. The machine's drift then
 * lands on all variants alike: with one window per variant and round, two identical servers
 * differed by up to 0.55×-2.11× on this VM; interleaved in 50 ms slices, by 0.89×-1.07×.
 */
export async function runHandshakeBench(
  client: BenchChild,
  variants: readonly HandshakeVariant[],
  settings: HandshakeSettings,
  budget: TimeBudget,
  serverOptions: ServerOptions,
  progress: (line: string) => void,
): Promise<Map<string, HandshakeRun[]>> {
  const runs = new Map<string, HandshakeRun[]>(variants.map((v) => [v.key, []]));
  const servers: VariantServer[] = [];
  try {
    for (let copy = 0; copy < settings.serversPerVariant; copy++) {
      for (const [i, variant] of variants.entries()) {
        const server = await startServer(variant.adapter, serverOptions, variant.key);
        servers.push({ server, variant: i });
      }
    }
    await warm(client, servers, variants, settings);
    budget.done(handshakeSetupMs(variants, settings));
    for (let round = 0; round < settings.rounds; round++) {
      const measured = await leastDisturbed(
        () => measureRound(client, servers, variants, settings, round),
        budget,
        variants.length * handshakeRunMs(settings),
        (disturbed) => progress(`(round ${round + 1} disturbed: ${disturbedBy(disturbed)}; again)`),
      );
      variants.forEach((variant, i) => {
        const run = measured.runs[i]!;
        runs.get(variant.key)!.push(run);
        progress(
          `handshakes ${variant.key} round ${round + 1}: ` +
            `server ${run.serverCpuUsPerHandshake.toFixed(1)} µs/handshake ` +
            `(${(run.serverCpuShare * 100).toFixed(0)}% busy), ${Math.round(run.perSecond)}/s, ` +
            `p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, ` +
            `client ${(run.clientCpuShare * 100).toFixed(0)}% busy, ${disturbedBy(run)}`,
        );
      });
    }
  } finally {
    await Promise.all(servers.map(({ server }) => server.stop()));
  }
  return runs;
}

export function disturbedBy(run: { readonly otherLoadCores: number }): string {
  return `other processes ${run.otherLoadCores.toFixed(2)} cores`;
}

export function handshakeJob(
  server: ServerHandle,
  variant: HandshakeVariant,
  settings: Pick<HandshakeSettings, 'concurrency'>,
  durationMs: number,
): HandshakeJob {
  return {
    port: server.port,
    path: variant.path,
    kind: variant.kind,
    origin: { fixed: variant.origin },
    expectStatus: variant.expectStatus,
    concurrency: settings.concurrency,
    durationMs,
    maxCount: 200_000,
    timeoutMs: 5_000,
  };
}

/**
 * Warms every server, interleaved as the rounds are: warmed one after the other, the first
 * servers sat idle for the minute the others took, and their first rounds cost up to 1.6×
 * their later ones (a heap shrunk while idle, code to optimize again).
 */
async function warm(
  client: BenchChild,
  servers: readonly VariantServer[],
  variants: readonly HandshakeVariant[],
  settings: HandshakeSettings,
): Promise<void> {
  const indices = servers.map((_, i) => i);
  const cycles = Math.max(1, Math.round(settings.warmupMs / settings.sliceMs));
  const job = interleavedJob(servers, variants, settings, cycles, (c) => balancedOrder(indices, c));
  await client.rpc.call(
    'interleavedHandshakes',
    job,
    servers.length * settings.warmupMs * 2 + 30_000,
  );
}

function interleavedJob(
  servers: readonly VariantServer[],
  variants: readonly HandshakeVariant[],
  settings: HandshakeSettings,
  cycles: number,
  order: (cycle: number) => number[],
): InterleavedHandshakeJob {
  return {
    jobs: servers.map(({ server, variant }) =>
      handshakeJob(server, variants[variant]!, settings, 0),
    ),
    resultOf: servers.map(({ variant }) => variant),
    sliceMs: settings.sliceMs,
    cycles: Array.from({ length: cycles }, (_, c) => order(c)),
  };
}

/** One round: every server's slices, interleaved, and each server's CPU time over all of it. */
async function measureRound(
  client: BenchChild,
  servers: readonly VariantServer[],
  variants: readonly HandshakeVariant[],
  settings: HandshakeSettings,
  round: number,
): Promise<{ readonly runs: HandshakeRun[]; readonly otherLoadCores: number }> {
  const pids = [client.pid, process.pid];
  const handles = servers.map(({ server }) => server);
  const serverPids = handles.map((server) => server.pid);
  const sliceMsPerServer = settings.measureMs / settings.serversPerVariant;
  const cyclesPerRound = Math.max(1, Math.round(sliceMsPerServer / settings.sliceMs));
  const indices = servers.map((_, i) => i);
  const job = interleavedJob(servers, variants, settings, cyclesPerRound, (c) =>
    balancedOrder(indices, round * cyclesPerRound + c),
  );
  await waitForIdleServers(pids, serverPids);
  const logLinesBefore = handles.map((server) => server.refusalLogLines());
  await Promise.all(handles.map((server) => server.startProfile()));
  const before = await Promise.all(handles.map((server) => server.usage({ gc: false })));
  const cpuBefore = cpuSnapshot([...pids, ...serverPids]);
  const plannedMs = servers.length * cyclesPerRound * settings.sliceMs;
  const results = await client.rpc.call<HandshakeResult[]>(
    'interleavedHandshakes',
    job,
    plannedMs * 2 + 30_000,
  );
  await waitForIdleServers(pids, serverPids);
  const cpuAfter = cpuSnapshot([...pids, ...serverPids]);
  const after = await Promise.all(handles.map((server) => server.usage({ gc: false })));
  await Promise.all(handles.map((server) => server.stopProfile()));
  const otherLoadCores = otherLoad(cpuBefore, cpuAfter);
  /** What the servers of variant `i` add up to over the round. */
  const sum = (i: number, of: (s: number) => number) =>
    servers.reduce((total, { variant }, s) => total + (variant === i ? of(s) : 0), 0);
  const runs = variants.map((variant, i): HandshakeRun => {
    const result = results[i]!;
    if (result.failed > 0) {
      throw new Error(
        `${variant.key}: ${result.failed} handshakes failed: ${JSON.stringify(result.statuses)}`,
      );
    }
    const serverCpuUs = sum(i, (s) => after[s]!.cpuUs - before[s]!.cpuUs);
    return {
      ...result,
      serverCpuUsPerHandshake: serverCpuUs / answeredCount(result),
      serverCpuShare: serverCpuUs / 1000 / result.elapsedMs,
      refusalLogLines: sum(i, (s) => handles[s]!.refusalLogLines() - logLinesBefore[s]!),
      otherLoadCores,
    };
  });
  return { runs, otherLoadCores };
}

/** Waits until the sessions of the last slices have closed and every server is idle. */
async function waitForIdleServers(
  pids: readonly number[],
  serverPids: readonly number[],
): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SESSIONS_CLOSED_MS));
  await waitForQuietMachine(
    [...pids, ...serverPids],
    IDLE_WAIT_MS - SESSIONS_CLOSED_MS,
    serverPids,
  );
}
