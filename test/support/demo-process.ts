import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../demo/main.ts', import.meta.url));
const REGISTER = new URL('./ts-register.mjs', import.meta.url).href;

/** `npm start`'s program in a child process, its console captured. */
export interface DemoProcess {
  /** What it wrote so far, stdout and stderr, without colours. */
  output(): string;
  /** Resolves once the output contains `text` (it may already); rejects if the process ends. */
  waitFor(text: string): Promise<void>;
  stop(): Promise<void>;
}

/** Runs `demo/main.ts` as `npm start` does (without the build), with `env` added. */
export function startDemoProcess(env: Record<string, string>): DemoProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', REGISTER, MAIN], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let exited = false;
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const waiter of waiters) waiter();
  };
  const append = (chunk: Buffer) => {
    // oxlint-disable-next-line eslint/no-control-regex -- ANSI colour sequences, should any remain.
    text += chunk.toString('utf8').replace(/\u001b\[[0-9;]*m/g, '');
    changed();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      changed();
      resolve();
    }),
  );
  return {
    output: () => text,
    waitFor: (wanted) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (text.includes(wanted)) {
            waiters.delete(check);
            resolve();
          } else if (exited) {
            waiters.delete(check);
            reject(new Error(`the demo exited before writing ${JSON.stringify(wanted)}:\n${text}`));
          }
        };
        waiters.add(check);
        check();
      }),
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}
