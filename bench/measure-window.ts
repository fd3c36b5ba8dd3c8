import { cpuSnapshot, otherLoad, wallMs } from './cpu-contention.js';
import type { ServerHandle } from './server-handle.js';

/** What a measured window of load cost the server, and how quiet the machine was meanwhile. */
export interface MeasuredWindow<T> {
  readonly result: T;
  readonly serverCpuUs: number;
  readonly wallMs: number;
  /** Cores used by processes other than `pids` while measuring. */
  readonly otherLoadCores: number;
}

/**
 * Runs `load` between two readings of the server's CPU time and of the machine's (`pids`: the
 * processes of the bench itself, which do not count as other load).
 */
export async function measureWindow<T>(
  server: ServerHandle,
  pids: readonly number[],
  load: () => Promise<T>,
): Promise<MeasuredWindow<T>> {
  const before = await server.usage({ gc: false });
  const cpuBefore = cpuSnapshot(pids);
  const result = await load();
  const cpuAfter = cpuSnapshot(pids);
  const after = await server.usage({ gc: false });
  return {
    result,
    serverCpuUs: after.cpuUs - before.cpuUs,
    wallMs: wallMs(cpuBefore, cpuAfter),
    otherLoadCores: otherLoad(cpuBefore, cpuAfter),
  };
}
