import type { ServerAdapter } from './bench-app.js';
import { ALLOWED_ORIGIN, REFUSED_ORIGIN } from './bench-origins.js';
import type { BenchChild } from './child.js';
import { balancedOrder } from './balanced-order.js';
import { leastDisturbed, waitForQuietMachine } from './cpu-contention.js';
import type { HandshakeJob, HandshakeResult } from './handshake-load.js';
import { measureWindow } from './measure-window.js';
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
  /** Before each measured window: the server has been idle while the others ran. */
  readonly rewarmMs: number;
  readonly measureMs: number;
}

/**
 * How long a window waits, at least, for the other servers to go idle (the polling variants'
 * sessions close within half a second of their window, see `bench.gateway.ts`), also in
 * `--quick` runs, which have no slack for waiting on other processes.
 */
const IDLE_WAIT_MS = 2_000;

/** Planned wall time of one measured window of one variant (re-warm included). */
export function handshakeRunMs(settings: HandshakeSettings): number {
  return 300 + settings.rewarmMs + settings.measureMs;
}

/** Planned wall time of starting, warming and stopping a group's servers. */
export function handshakeSetupMs(
  variants: readonly HandshakeVariant[],
  settings: HandshakeSettings,
): number {
  return variants.length * (1_500 + settings.warmupMs);
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

/**
 * One server per variant (so the A/A control is two processes of the same code), started and
 * warmed once and kept warm across rounds: a fresh server takes 2-3 s to reach its steady
 * speed, and a fresh process per run also samples process-to-process variation (heap layout,
 * JIT decisions) into every ratio. Variants alternate, in an order that changes each round so
 * that each follows different ones (`balancedOrder`), each window after a short re-warm and
 * once the other servers are idle, so drift lands on all of them and no server's leftovers
 * land on one.
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
  const servers = new Map<string, ServerHandle>();
  try {
    for (const variant of variants) {
      const server = await startServer(variant.adapter, serverOptions, variant.key);
      servers.set(variant.key, server);
      await handshakes(client, server, variant, settings, settings.warmupMs);
    }
    budget.done(handshakeSetupMs(variants, settings));
    for (let round = 0; round < settings.rounds; round++) {
      for (const variant of balancedOrder(variants, round)) {
        const server = servers.get(variant.key)!;
        const idle = [...servers.values()].filter((s) => s !== server).map((s) => s.pid);
        const run = await leastDisturbed(
          () => measureOnce(client, server, idle, variant, settings, budget),
          budget,
          handshakeRunMs(settings),
          (disturbed) => progress(`(${variant.key} disturbed: ${disturbedBy(disturbed)}; again)`),
        );
        runs.get(variant.key)!.push(run);
        progress(
          `handshakes ${variant.key} round ${round + 1}: ` +
            `server ${run.serverCpuUsPerHandshake.toFixed(1)} µs/handshake ` +
            `(${(run.serverCpuShare * 100).toFixed(0)}% busy), ${Math.round(run.perSecond)}/s, ` +
            `p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, ` +
            `client ${(run.clientCpuShare * 100).toFixed(0)}% busy, ${disturbedBy(run)}`,
        );
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }
  return runs;
}

export function disturbedBy(run: { readonly otherLoadCores: number }): string {
  return `other processes ${run.otherLoadCores.toFixed(2)} cores`;
}

function handshakes(
  client: BenchChild,
  server: ServerHandle,
  variant: HandshakeVariant,
  settings: HandshakeSettings,
  durationMs: number,
): Promise<HandshakeResult> {
  const job: HandshakeJob = {
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
  return client.rpc.call<HandshakeResult>('handshakes', job, durationMs + 15_000);
}

async function measureOnce(
  client: BenchChild,
  server: ServerHandle,
  idleServerPids: readonly number[],
  variant: HandshakeVariant,
  settings: HandshakeSettings,
  budget: TimeBudget,
): Promise<HandshakeRun> {
  await handshakes(client, server, variant, settings, settings.rewarmMs);
  const pids = [server.pid, client.pid, process.pid];
  await waitForQuietMachine(
    pids,
    Math.max(IDLE_WAIT_MS, Math.min(5_000, budget.slackMs())),
    idleServerPids,
  );
  const logLinesBefore = server.refusalLogLines();
  await server.startProfile();
  const measured = await measureWindow(server, pids, () =>
    handshakes(client, server, variant, settings, settings.measureMs),
  );
  await server.stopProfile();
  const { result, serverCpuUs } = measured;
  if (result.failed > 0) {
    throw new Error(
      `${variant.key}: ${result.failed} handshakes failed: ${JSON.stringify(result.statuses)}`,
    );
  }
  // Handshakes answered after the deadline were still served inside the CPU window.
  const answered = Object.values(result.statuses).reduce((sum, n) => sum + n, 0);
  return {
    ...result,
    serverCpuUsPerHandshake: serverCpuUs / answered,
    serverCpuShare: serverCpuUs / 1000 / measured.wallMs,
    refusalLogLines: server.refusalLogLines() - logLinesBefore,
    otherLoadCores: measured.otherLoadCores,
  };
}
