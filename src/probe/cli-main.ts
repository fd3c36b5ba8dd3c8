import { parseCli } from './cli-args.js';
import { ProbeError } from './probe-error.js';
import { probeOrigins } from './probe-origins.js';
import { renderReport } from './render-table.js';
import type { ProbeReport } from './report.js';

/** Where the CLI writes, and what it knows of its terminal. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Runs `nestjs-origin-guard <argv…>` and resolves with the exit status (0, 1 or 2). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let json = false;
  let color = false;
  try {
    const command = parseCli(argv);
    if (command.kind === 'help') {
      io.stdout.write(command.text);
      return 0;
    }
    json = command.json;
    // https://no-color.org: any non-empty NO_COLOR turns colours off.
    color = io.stdout.isTTY === true && !command.noColor && !io.env.NO_COLOR;
    const report = await probeOrigins(command.url, command.options);
    print(report, json, color, io);
    return report.exitCode;
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    if (error.report !== undefined) print(error.report, json, color, io);
    else if (json)
      io.stdout.write(
        `${JSON.stringify({ outcome: 'not-probed', exitCode: 2, summary: error.message })}\n`,
      );
    if (error.report === undefined || json)
      io.stderr.write(`nestjs-origin-guard: ${error.message}\n`);
    return 2;
  }
}

function print(report: ProbeReport, json: boolean, color: boolean, io: CliIo): void {
  io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, { color }));
}
