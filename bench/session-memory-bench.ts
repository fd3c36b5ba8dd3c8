import { alternatingIoServers, type IoServerKey } from './alternating-io-servers.js';
import type { BenchChild } from './child.js';
import { exactlyHandshakes } from './memory-bench.js';
import { startServer } from './server-handle.js';

export interface SessionMemorySettings {
  readonly rounds: number;
  readonly warmupSessions: number;
  readonly measuredSessions: number;
  readonly concurrency: number;
}

/** Heap held per closed polling session, in bytes, by adapter: one value per round. */
export type SessionMemoryRuns = ReadonlyMap<IoServerKey, readonly number[]>;

const POLLING = '/socket.io/?EIO=4&transport=polling&t=bench';
/** Longer than a bench session lives (ping interval + timeout, see `bench.gateway.ts`). */
const SESSIONS_CLOSED_MS = 1_000;

/**
 * The V8 heap a server still holds for each polling session after the session has closed, read
 * after a forced full GC: Nest's `IoAdapter` against ours. The sessions time out, as every
 * session of a client that went away does, and engine.io then keeps each closed polling
 * transport for 30 s (its `closeTimeout`), so the readings, taken within those 30 s, include what
 * engine.io keeps and whatever an adapter hangs on it. Unlike CPU time, this does not depend on
 * how busy the machine is.
 */
export async function runSessionMemoryBench(
  client: BenchChild,
  settings: SessionMemorySettings,
  progress: (line: string) => void,
): Promise<SessionMemoryRuns> {
  return alternatingIoServers(
    settings.rounds,
    (adapter) => heldPerSession(client, adapter, settings),
    (adapter, round, bytes) =>
      progress(
        `session memory ${adapter} round ${round + 1}: ${bytes.toFixed(0)} bytes held per closed session`,
      ),
  );
}

async function heldPerSession(
  client: BenchChild,
  adapter: IoServerKey,
  settings: SessionMemorySettings,
): Promise<number> {
  const server = await startServer(adapter);
  try {
    const open = async (count: number) => {
      await exactlyHandshakes(client, 'session memory', {
        port: server.port,
        path: POLLING,
        kind: 'poll',
        origin: { fixed: 'https://app.example.com' },
        expectStatus: 200,
        concurrency: settings.concurrency,
        maxCount: count,
      });
      await new Promise((resolve) => setTimeout(resolve, SESSIONS_CLOSED_MS));
      return server.usage({ gc: true });
    };
    const before = await open(settings.warmupSessions);
    const after = await open(settings.measuredSessions);
    return (after.heapUsed - before.heapUsed) / settings.measuredSessions;
  } finally {
    await server.stop();
  }
}
