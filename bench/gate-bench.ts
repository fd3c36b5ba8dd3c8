import { ALLOWED_ORIGIN } from './bench-origins.js';
import { balancedOrder } from './balanced-order.js';
import type { BenchChild } from './child.js';
import type { HandshakeJob, HandshakeResult } from './handshake-load.js';
import { type ServerHandle, type ServerOptions, startServer } from './server-handle.js';

export interface GateSettings {
  readonly rounds: number;
  readonly concurrency: number;
  readonly warmupMs: number;
  /** Slices per state and round, and the length of each. */
  readonly slices: number;
  readonly sliceMs: number;
}

/** Server CPU per accepted handshake, one value per round, by the state of the gate. */
export interface GateRuns {
  readonly on: number[];
  readonly off: number[];
  /** The gate on again, in slices of its own: the A/A control of `on`. */
  readonly onAgain: number[];
}

type State = keyof GateRuns;
const STATES: readonly State[] = ['on', 'off', 'onAgain'];

/** Planned wall time of the whole phase. */
export function gateBenchMs(settings: GateSettings): number {
  return (
    3_000 + settings.warmupMs + settings.rounds * settings.slices * 3 * (settings.sliceMs + 40)
  );
}

/**
 * What the app-wide upgrade gate costs an accepted ws handshake, measured within one
 * `OriginWsAdapter` server that switches its gate off and on between short slices. Two
 * processes (with and without the gate) differ by their own speed: 1.05× in two full runs,
 * where one process switching measured 1.000×–1.003×.
 */
export async function runGateBench(
  client: BenchChild,
  settings: GateSettings,
  serverOptions: ServerOptions,
  progress: (line: string) => void,
): Promise<GateRuns> {
  const runs: GateRuns = { on: [], off: [], onAgain: [] };
  const server = await startServer('ws-origin', serverOptions, 'gate');
  try {
    await handshakes(client, server, settings, settings.warmupMs);
    for (let round = 0; round < settings.rounds; round++) {
      const cpuUs = { on: 0, off: 0, onAgain: 0 };
      const answered = { on: 0, off: 0, onAgain: 0 };
      for (let s = 0; s < settings.slices; s++) {
        for (const state of balancedOrder(STATES, round * settings.slices + s)) {
          await server.setUpgradeGate(state !== 'off');
          const before = await server.usage({ gc: false });
          const result = await handshakes(client, server, settings, settings.sliceMs);
          // The sockets of the last handshakes close after their status line.
          await new Promise((resolve) => setTimeout(resolve, 20));
          const after = await server.usage({ gc: false });
          if (result.failed > 0) {
            throw new Error(`gate ${state}: ${result.failed} handshakes failed`);
          }
          cpuUs[state] += after.cpuUs - before.cpuUs;
          answered[state] += Object.values(result.statuses).reduce((sum, n) => sum + n, 0);
        }
      }
      for (const state of STATES) runs[state].push(cpuUs[state] / answered[state]);
      progress(
        `gate round ${round + 1}: ` +
          STATES.map((state) => `${state} ${runs[state].at(-1)!.toFixed(1)} µs`).join(', '),
      );
    }
  } finally {
    await server.setUpgradeGate(true);
    await server.stop();
  }
  return runs;
}

function handshakes(
  client: BenchChild,
  server: ServerHandle,
  settings: GateSettings,
  durationMs: number,
): Promise<HandshakeResult> {
  const job: HandshakeJob = {
    port: server.port,
    path: '/',
    kind: 'upgrade',
    origin: { fixed: ALLOWED_ORIGIN },
    expectStatus: 101,
    concurrency: settings.concurrency,
    durationMs,
    maxCount: 200_000,
    timeoutMs: 5_000,
  };
  return client.rpc.call<HandshakeResult>('handshakes', job, durationMs + 15_000);
}
