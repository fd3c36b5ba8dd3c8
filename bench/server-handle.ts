import { join } from 'node:path';
import type { ServerAdapter } from './bench-app.js';
import { type BenchChild, SERVER_CPU, startChild } from './child.js';
import type { ServerUsage } from './server-process.js';

export interface ServerHandle {
  readonly port: number;
  readonly pid: number;
  usage(options: { gc: boolean }): Promise<ServerUsage>;
  /** `OriginWsAdapter` servers only: the app-wide upgrade gate off or on. */
  setUpgradeGate(on: boolean): Promise<void>;
  /** With `profileDir`: starts a CPU profile of the measured window; without, does nothing. */
  startProfile(): Promise<void>;
  stopProfile(): Promise<void>;
  /** Refusal lines the server has logged so far. */
  refusalLogLines(): number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Directory for V8 CPU profiles of the measured windows, or none. */
  readonly profileDir?: string;
  /** Pin the server to its own core (see `SERVER_CPU`). */
  readonly pin?: boolean;
}

let profiles = 0;

/** A fresh server process for one run of one variant. */
export async function startServer(
  adapter: ServerAdapter,
  options: ServerOptions = {},
  /** Names profiles: which variant this server runs. */
  label: string = adapter,
): Promise<ServerHandle> {
  const child: BenchChild = startChild('./server-process.js', `server (${adapter})`, {
    execArgv: ['--expose-gc'],
    countPattern: /Refused WebSocket/,
    cpu: options.pin === true ? SERVER_CPU : undefined,
  });
  try {
    const { port } = await child.rpc.call<{ port: number }>('boot', adapter, 30_000);
    return {
      port,
      pid: child.pid,
      usage: (usageOptions) => child.rpc.call<ServerUsage>('usage', usageOptions, 10_000),
      setUpgradeGate: (on) => child.rpc.call<void>('setUpgradeGate', on, 10_000),
      startProfile: async () => {
        if (options.profileDir !== undefined) await child.rpc.call('startProfile', null, 10_000);
      },
      stopProfile: async () => {
        if (options.profileDir === undefined) return;
        const path = join(options.profileDir, `${label}-${++profiles}.cpuprofile`);
        await child.rpc.call('stopProfile', path, 30_000);
      },
      refusalLogLines: () => child.output.matching,
      stop: async () => {
        try {
          await child.rpc.call('stop', undefined, 10_000);
          await Promise.race([child.exited, new Promise((r) => setTimeout(r, 10_000))]);
        } finally {
          child.kill();
        }
      },
    };
  } catch (error) {
    child.kill();
    throw new Error(`${String(error)}\nserver output:\n${child.output.tail.join('\n')}`, {
      cause: error,
    });
  }
}
