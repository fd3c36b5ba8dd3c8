import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

const START =
  '<!-- bench:results:start (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:results:end -->';

/**
 * Replaces the generated part of BENCHMARKS.md and keeps the hand-written part (method,
 * analysis) around it, so that the latest run is always what the file shows. The file is
 * written already formatted, so that `npm run format:check` stays green after a run.
 */
export async function writeResults(path: string, results: string): Promise<void> {
  const block = `${START}\n\n${results.trim()}\n\n${END}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start !== -1 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(next, { ...options, filepath: path }));
}
