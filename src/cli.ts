#!/usr/bin/env node
// The `nestjs-origin-guard` bin. It loads no Nest package: only the probe and Node built-ins.
import { runCli } from './probe/cli-main.js';

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `nestjs-origin-guard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
