import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The package's bin as npm links it: `nestjs-origin-guard` → dist/cli.js. */
export const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface BinRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built bin in a child process (stdout is a pipe, not a terminal). */
export function runBin(args: readonly string[], env: Record<string, string> = {}): Promise<BinRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, NO_COLOR: '', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The table's rows (not its header), each split into its cells. */
export function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const end = lines.indexOf('');
  return lines.slice(1, end === -1 ? undefined : end).map((line) => line.split(/ {2,}/));
}

/** The last line of the output: the one-line summary. */
export function summaryLine(stdout: string): string {
  return stdout.trimEnd().split('\n').at(-1) ?? '';
}
