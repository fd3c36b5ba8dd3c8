import { balancedOrder } from './balanced-order.js';
import type { BenchChild } from './child.js';
import { handshakeJob, WS_HANDSHAKE_VARIANTS, WS_KEYS } from './handshake-bench.js';
import { answeredCount, type HandshakeResult } from './handshake-load.js';
import { measureWindow } from './measure-window.js';
import { type ServerHandle, type ServerOptions, startServer } from './server-handle.js';

const WS_ALLOWED = WS_HANDSHAKE_VARIANTS.find((variant) => variant.key === WS_KEYS.allowed)!;

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
  const pids = [server.pid, client.pid, process.pid];
  try {
    await handshakes(client, server, settings, settings.warmupMs);
    for (let round = 0; round < settings.rounds; round++) {
      const cpuUs = { on: 0, off: 0, onAgain: 0 };
      const answered = { on: 0, off: 0, onAgain: 0 };
      for (let s = 0; s < settings.slices; s++) {
        for (const state of balancedOrder(STATES, round * settings.slices + s)) {
          await server.setUpgradeGate(state !== 'off');
          const { result, serverCpuUs } = await measureWindow(server, pids, async () => {
            const sliceResult = await handshakes(client, server, settings, settings.sliceMs);
            // The sockets of the last handshakes close after their status line.
            await new Promise((resolve) => setTimeout(resolve, 20));
            return sliceResult;
          });
          if (result.failed > 0) {
            throw new Error(`gate ${state}: ${result.failed} handshakes failed`);
          }
          cpuUs[state] += serverCpuUs;
          answered[state] += answeredCount(result);
        }
      }
      for (const state of STATES) runs[state].push(cpuUs[state] / answered[state]);
      progress(
        `gate round ${round + 1}: ` +
          STATES.map((state) => `${state} ${runs[state].at(-1)!.toFixed(1)} µs`).join(', '),
      );
    }
  } finally {
    await server.stop();
  }
  return runs;
}

/** Accepted handshakes to the server, as the handshake bench's accepted ws variant makes them. */
function handshakes(
  client: BenchChild,
  server: ServerHandle,
  settings: GateSettings,
  durationMs: number,
): Promise<HandshakeResult> {
  const job = handshakeJob(server, WS_ALLOWED, settings, durationMs);
  return client.rpc.call<HandshakeResult>('handshakes', job, durationMs + 15_000);
}
