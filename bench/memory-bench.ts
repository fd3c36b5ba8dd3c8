import type { BenchChild } from './child.js';
import type { HandshakeJob, HandshakeResult } from './handshake-load.js';
import { startServer } from './server-handle.js';
import type { ServerUsage } from './server-process.js';

export interface MemorySettings {
  readonly rounds: number;
  readonly warmupHandshakes: number;
  readonly measuredHandshakes: number;
  /** A second batch of the same size: growth that continues is a leak, a one-off step is not. */
  readonly repeatMeasured: boolean;
  readonly concurrency: number;
}

export interface MemoryRun {
  readonly afterWarmup: ServerUsage;
  readonly afterRefusals: ServerUsage;
  readonly afterMoreRefusals: ServerUsage | undefined;
  readonly refusalLogLines: number;
  readonly perSecond: number;
}

/**
 * Server memory after many refused handshakes, each from a different origin: the worst case
 * for any per-origin state. Readings are taken after a forced full GC, so what remains is
 * what the server holds on to, not garbage that has yet to be collected.
 */
export async function runMemoryBench(
  client: BenchChild,
  settings: MemorySettings,
  progress: (line: string) => void,
): Promise<MemoryRun[]> {
  const runs: MemoryRun[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const server = await startServer('ws-origin');
    try {
      const refuse = (series: string, count: number) =>
        exactlyHandshakes(client, 'memory', {
          port: server.port,
          path: '/',
          origin: { distinctSeries: `${series}${round}-` },
          expectStatus: 403,
          concurrency: settings.concurrency,
          maxCount: count,
        });
      await refuse('warm', settings.warmupHandshakes);
      const afterWarmup = await server.usage({ gc: true });
      const measured = await refuse('mem', settings.measuredHandshakes);
      const afterRefusals = await server.usage({ gc: true });
      let afterMoreRefusals: ServerUsage | undefined;
      if (settings.repeatMeasured) {
        await refuse('more', settings.measuredHandshakes);
        afterMoreRefusals = await server.usage({ gc: true });
      }
      const run = {
        afterWarmup,
        afterRefusals,
        afterMoreRefusals,
        refusalLogLines: server.refusalLogLines(),
        perSecond: measured.perSecond,
      };
      runs.push(run);
      const more = afterMoreRefusals === undefined ? '' : ` -> ${mb(afterMoreRefusals.rss)}`;
      progress(
        `memory round ${round + 1}: RSS ${mb(afterWarmup.rss)} -> ${mb(afterRefusals.rss)}${more} MB, ` +
          `heap used ${mb(afterWarmup.heapUsed)} -> ${mb(afterRefusals.heapUsed)} MB, ` +
          `${run.refusalLogLines} refusal log lines in all`,
      );
    } finally {
      await server.stop();
    }
  }
  return runs;
}

/**
 * Exactly `job.maxCount` handshakes, however long they take (up to a minute): a memory reading
 * is per handshake, so one that failed or was not made throws, naming `what`.
 */
export async function exactlyHandshakes(
  client: BenchChild,
  what: string,
  job: Omit<HandshakeJob, 'durationMs' | 'timeoutMs'>,
): Promise<HandshakeResult> {
  const full: HandshakeJob = { ...job, durationMs: 60_000, timeoutMs: 5_000 };
  const result = await client.rpc.call<HandshakeResult>('handshakes', full, 90_000);
  if (result.completed !== job.maxCount) {
    throw new Error(
      `${what}: ${result.completed} of ${job.maxCount} handshakes answered ${job.expectStatus}: ${JSON.stringify(result.statuses)}`,
    );
  }
  return result;
}

export function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(2);
}
