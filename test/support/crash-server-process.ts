import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts `crash-server.ts` in a child process and talks to it over IPC. The child is a plain
 * `node` with `ts-register.mjs`, which compiles the repository's TypeScript with decorator
 * metadata as `tsc` does (see `ts-hooks.mjs`): no build step, and no runner that drops the
 * metadata Nest injects by.
 */

export type CrashServerTransport = 'ws' | 'socket.io';
/** How the server's one gateway decides: from its list, or by asking a predicate. */
export type CrashServerDecided = 'sync' | 'async';

/** Allowed by the gateway's list. */
export const ALLOWED_ORIGIN = 'https://app.example.com';
/** Allowed by the `async` gateway's predicate. */
export const TENANT_ORIGIN = 'https://tenant.example';

export type CrashServerMessage =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'deciding'; readonly origin: string }
  | { readonly type: 'released'; readonly held: number }
  | { readonly type: 'pong' };

export type CrashServerCommand = { readonly type: 'release' } | { readonly type: 'ping' };

const SERVER = fileURLToPath(new URL('./crash-server.ts', import.meta.url));
const REGISTER = new URL('./ts-register.mjs', import.meta.url).href;

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface CrashServer {
  readonly port: number;
  readonly child: ChildProcess;
  /** How the child ended, once its 'exit' event came; `undefined` while it runs. */
  exit(): ChildExit | undefined;
  /** What the child wrote to stdout and stderr (a crash's stack trace), for failure messages. */
  output(): string;
  /** Resolves once the `async` gateway's predicate holds `origin` (it may already). */
  deciding(origin: string): Promise<void>;
  /** Lets the predicate refuse every held origin; resolves with how many it held. */
  release(): Promise<number>;
  /** A round trip through the child's event loop; rejects if the child has exited. */
  ping(): Promise<void>;
  /** Ends the child by its own handle, if it still runs, and waits for its exit. */
  stop(): Promise<void>;
}

export function startCrashServer(
  transport: CrashServerTransport,
  decided: CrashServerDecided,
): Promise<CrashServer> {
  const child = fork(SERVER, [transport, decided], {
    execArgv: ['--import', REGISTER, '--enable-source-maps'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  let exit: ChildExit | undefined;
  const exited = new Promise<ChildExit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  const describeExit = () =>
    `crash server (${transport}, ${decided}) exited with ${JSON.stringify(exit)}:\n${output}`;

  const held = new Set<string>();
  const waiting = new Map<string, () => void>();
  const replies: ((message: CrashServerMessage) => boolean)[] = [];
  child.on('message', (message: CrashServerMessage) => {
    if (message.type === 'deciding') {
      held.add(message.origin);
      waiting.get(message.origin)?.();
      return;
    }
    const index = replies.findIndex((accept) => accept(message));
    if (index !== -1) replies.splice(index, 1);
  });

  /** Sends a command and waits for the first message `pick` accepts, or the child's exit. */
  const ask = <T>(
    command: CrashServerCommand | undefined,
    pick: (message: CrashServerMessage) => T | undefined,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      replies.push((message) => {
        const value = pick(message);
        if (value === undefined) return false;
        resolve(value);
        return true;
      });
      void exited.then(() => reject(new Error(describeExit())));
      // With a callback, a child that is gone fails this call instead of raising 'error'.
      if (command !== undefined) child.send(command, (error) => error && reject(error));
    });

  return ask(undefined, (m) => (m.type === 'ready' ? m.port : undefined)).then(
    (port): CrashServer => ({
      port,
      child,
      exit: () => exit,
      output: () => output,
      deciding: (origin) =>
        held.has(origin)
          ? Promise.resolve()
          : new Promise<void>((resolve, reject) => {
              waiting.set(origin, resolve);
              void exited.then(() => reject(new Error(describeExit())));
            }),
      release: () => ask({ type: 'release' }, (m) => (m.type === 'released' ? m.held : undefined)),
      ping: () =>
        ask({ type: 'ping' }, (m) => (m.type === 'pong' ? true : undefined)).then(() => {}),
      stop: async () => {
        if (exit === undefined) child.kill('SIGKILL');
        await exited;
      },
    }),
    async (error: unknown) => {
      if (exit === undefined) child.kill('SIGKILL');
      await exited;
      throw error;
    },
  );
}
