import { alternatingIoServers, type IoServerKey } from './alternating-io-servers.js';
import type { BenchChild } from './child.js';
import type { IoOpenJob } from './io-connections.js';
import { startServer } from './server-handle.js';

export interface SocketMemorySettings {
  readonly rounds: number;
  readonly warmupConnections: number;
  readonly measuredConnections: number;
}

/** Heap held per connected Socket.IO socket, in bytes, by adapter: one value per round. */
export type SocketMemoryRuns = ReadonlyMap<IoServerKey, readonly number[]>;

/** Long enough for the server to finish the disconnects of closed connections. */
const CLOSED_MS = 500;

/** The planned wall time of the whole part, for the time budget: two servers a round, ~6 s each. */
export function socketMemoryMs(settings: SocketMemorySettings): number {
  return settings.rounds * 2 * 6_000;
}

/**
 * The V8 heap a server holds for each connected Socket.IO socket (a WebSocket that has joined
 * the main namespace, whose gateway has three handlers), read after a forced full GC: Nest's
 * `IoAdapter` against ours. It counts what engine.io and Socket.IO keep per socket and what
 * the adapter binds to it for the gateway's handlers, for as long as the client stays.
 */
export async function runSocketMemoryBench(
  client: BenchChild,
  settings: SocketMemorySettings,
  progress: (line: string) => void,
): Promise<SocketMemoryRuns> {
  return alternatingIoServers(
    settings.rounds,
    (adapter) => heldPerSocket(client, adapter, settings),
    (adapter, round, bytes) =>
      progress(
        `socket memory ${adapter} round ${round + 1}: ${bytes.toFixed(0)} bytes held per connected socket`,
      ),
  );
}

async function heldPerSocket(
  client: BenchChild,
  adapter: IoServerKey,
  settings: SocketMemorySettings,
): Promise<number> {
  const server = await startServer(adapter);
  try {
    const open = async (connections: number) => {
      const job: IoOpenJob = {
        port: server.port,
        origin: 'https://app.example.com',
        connections,
        timeoutMs: 5_000,
      };
      const opened = await client.rpc.call<number>('openIoConnections', job, 60_000);
      if (opened !== connections) throw new Error(`socket memory: ${opened} of ${connections}`);
    };
    const close = async () => {
      await client.rpc.call('closeIoConnections', undefined, 10_000);
      await new Promise((resolve) => setTimeout(resolve, CLOSED_MS));
    };
    await open(settings.warmupConnections);
    await close();
    const before = await server.usage({ gc: true });
    await open(settings.measuredConnections);
    const after = await server.usage({ gc: true });
    await close();
    return (after.heapUsed - before.heapUsed) / settings.measuredConnections;
  } finally {
    await server.stop();
  }
}
