import { compileOriginEntry, isEntryProblem } from '../../src/policy/origin-entry.js';
import type { OriginPolicy } from '../../src/policy/origin-policy.js';
import { decideSync } from './decide-sync.js';

/**
 * Test helpers of the `Fix:` specs (src/policy/entry-fixes*.spec.ts). Suggestions are quoted
 * the way code writes them: strings in single quotes, RegExps as literals.
 */

/** The entries a fix text names. */
export function suggestedEntries(fix: string): (string | RegExp)[] {
  const strings = [...fix.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  const regexps = [...fix.matchAll(/(?<=^|\s)\/(\^.*?\$)\/([a-z]*)(?=$|[\s,;)])/g)].map(
    (m) => new RegExp(m[1]!, m[2]),
  );
  return [...strings, ...regexps];
}

/** Whether `policy` allows a handshake whose only header is `Origin: origin`. */
export function allows(policy: OriginPolicy, origin: string): boolean {
  return decideSync(policy, ['Origin', origin]).allowed;
}

/** Test helper: the problem and fix a refused entry gets; fails the test if it is accepted. */
export function entryRefusal(entry: unknown): [problem: string, fix: string] {
  const compiled = compileOriginEntry(entry);
  if (!isEntryProblem(compiled)) throw new Error(`${String(entry)} was accepted`);
  return [compiled.problem, compiled.fix];
}
