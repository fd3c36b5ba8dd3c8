import { accessSync, constants } from 'node:fs';

/** A program a suite needs that the machine may lack: Chromium, `redis-server`. */
export interface OptionalTool {
  /** The suite that needs it, as its skip line names it: `browser`, `Redis`. */
  readonly suite: string;
  /** What is missing, e.g. `Chromium not found at /usr/bin/chromium`. */
  readonly missing: string;
  /** How to install it, e.g. `apt-get install -y chromium`. */
  readonly install: string;
  /** The environment variable that names the program instead. */
  readonly pathVariable: string;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function howToGet(tool: OptionalTool): string {
  return `(install: ${tool.install}, or set ${tool.pathVariable})`;
}

/**
 * Whether the suite runs. On a developer machine without the tool it is skipped, with one
 * console line saying how to enable it. Under `CI=true` it always runs, so a missing tool
 * fails the run (see `toolMissing`) instead of passing with nothing tested.
 */
export function suiteRuns(installed: boolean, tool: OptionalTool): boolean {
  if (installed || process.env.CI === 'true') return true;
  console.warn(`${tool.suite} suite skipped: ${tool.missing} ${howToGet(tool)}`);
  return false;
}

/** The error a suite that must run (`CI=true`) fails with when the tool is missing. */
export function toolMissing(tool: OptionalTool): Error {
  return new Error(
    `${tool.missing}, and CI=true requires the ${tool.suite} suite to run ${howToGet(tool)}.`,
  );
}
