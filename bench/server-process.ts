import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { serveRpc } from './ipc.js';
import {
  type BenchServer,
  SERVER_ADAPTERS,
  type ServerAdapter,
  startBenchApp,
} from './bench-app.js';

/**
 * Child process entry: the server under test. It runs alone in its process so that its CPU
 * time and memory are its own.
 */

export interface ServerUsage {
  /** User + system CPU time of this process since it started, in microseconds. */
  readonly cpuUs: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

let app: BenchServer | undefined;
let profiler: Session | undefined;

const forceGc = (globalThis as { gc?: () => void }).gc;

serveRpc({
  async boot(adapter: ServerAdapter): Promise<{ port: number }> {
    if (!SERVER_ADAPTERS.includes(adapter)) throw new Error(`unknown adapter ${adapter}`);
    app = await startBenchApp(adapter);
    return { port: app.port };
  },

  setUpgradeGate(on: boolean): void {
    if (app?.setUpgradeGate === undefined) throw new Error('this server has no upgrade gate');
    app.setUpgradeGate(on);
  },

  async usage(options: { gc: boolean }): Promise<ServerUsage> {
    if (options.gc) {
      if (forceGc === undefined) throw new Error('run the server with --expose-gc');
      // Closed sockets are released over a few ticks; collect after they have settled, twice
      // so that objects freed by the first collection's finalizers go too.
      await new Promise((resolve) => setTimeout(resolve, 250));
      forceGc();
      await new Promise((resolve) => setImmediate(resolve));
      forceGc();
    }
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    return {
      cpuUs: cpu.user + cpu.system,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
    };
  },

  /** Profiles only the measured window, not boot or warm-up (`npm run bench -- --profile`). */
  async startProfile(): Promise<void> {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  },

  async stopProfile(path: string): Promise<void> {
    if (profiler === undefined) throw new Error('no profile was started');
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(path, JSON.stringify(profile));
    profiler.disconnect();
    profiler = undefined;
  },

  async stop(): Promise<void> {
    await app?.close();
    // Exit once the reply has been sent.
    setTimeout(() => process.exit(0), 20);
  },
});
