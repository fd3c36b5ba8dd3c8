import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RpcClient } from './ipc.js';

export interface BenchChild {
  readonly rpc: RpcClient;
  readonly pid: number;
  /** Lines the child wrote to stdout/stderr, counted by whether they match `countPattern`. */
  readonly output: { lines: number; matching: number; tail: string[] };
  /** Ends this child (by its own handle) if it has not exited by itself. */
  kill(): void;
  readonly exited: Promise<void>;
}

/**
 * Starts one of the bench's own child processes (compiled next to this file). Its output is
 * captured, not shown: a refusal log line is counted, and the tail is kept for error reports.
 */
export function startChild(
  entry: string,
  name: string,
  options: { execArgv?: string[]; countPattern?: RegExp; cpu?: number } = {},
): BenchChild {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  const child: ChildProcess = fork(file, [], {
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = { lines: 0, matching: 0, tail: [] as string[] };
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      output.lines++;
      if (options.countPattern?.test(line)) output.matching++;
      output.tail.push(line);
      if (output.tail.length > 20) output.tail.shift();
    }
  };
  if (options.cpu !== undefined) pinToCpu(child.pid!, options.cpu);
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    rpc: new RpcClient(child, name),
    pid: child.pid!,
    output,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
    exited,
  };
}

/**
 * The core a child runs on (unless `--unpinned`): servers on core 0, the load
 * generator on core 1, so that the scheduler never moves them onto one another's core.
 */
export const SERVER_CPU = 0;
export const LOAD_CPU = 1;

/** Pins every thread of `pid` (and the threads it starts later) to one core, with `taskset`. */
function pinToCpu(pid: number, cpu: number): void {
  if (availableParallelism() <= cpu) return;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  } catch {
    // No taskset (not Linux, or util-linux missing): the run goes on unpinned.
  }
}
