import { type ConfigProblem, renderValue } from '../policy/origin-guard-config.error.js';
import type { OriginCheckMode } from '../policy/policy-settings.js';
import type { OriginsProvider } from './allowed-origins.decorator.js';

/** What one `@AllowedOrigins(...)` says, once its short or long form is read. */
export interface AllowedOriginsArgs {
  /** Entries as written, `OriginsProvider` classes included. */
  readonly entries: readonly unknown[];
  readonly merge: 'replace' | 'extend';
  readonly mode: OriginCheckMode | undefined;
}

const OPTION_KEYS = new Set(['origins', 'merge', 'mode']);

/** Reads the decorator's arguments: entries, or a single `{ origins, merge, mode }` object. */
export function readAllowedOriginsArgs(
  args: readonly unknown[],
  at: string,
  problems: ConfigProblem[],
): AllowedOriginsArgs {
  const [first] = args;
  if (args.length !== 1 || !isPlainObject(first))
    return { entries: args, merge: 'replace', mode: undefined };
  const options = first;
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      problems.push({
        at: `${at}.${key}`,
        value: renderValue(options[key]),
        problem: 'is not an @AllowedOrigins option',
        fix: 'use origins, merge or mode',
      });
    }
  }
  let entries: readonly unknown[] = [];
  if (Array.isArray(options.origins)) entries = options.origins;
  else
    problems.push({
      at: `${at}.origins`,
      value: renderValue(options.origins),
      problem: 'is not an array',
      fix: "list the origins: { origins: ['https://app.example.com'] }",
    });
  const merge = readChoice(options.merge, ['replace', 'extend'], problems, {
    at: `${at}.merge`,
    problem: 'is not a merge mode',
    fix: "use 'replace' (only these origins) or 'extend' (the module's origins and these)",
  });
  const mode = readChoice(options.mode, ['enforce', 'report-only'], problems, {
    at: `${at}.mode`,
    problem: 'is not a mode',
    fix: "use 'enforce' or 'report-only'",
  });
  return { entries, merge: merge ?? 'replace', mode };
}

/** An optional option that takes one of `choices`: the value, or `undefined` (and a problem). */
function readChoice<T extends string>(
  value: unknown,
  choices: readonly T[],
  problems: ConfigProblem[],
  { at, problem, fix }: Omit<ConfigProblem, 'value'>,
): T | undefined {
  if ((choices as readonly unknown[]).includes(value)) return value as T;
  if (value !== undefined) problems.push({ at, value: renderValue(value), problem, fix });
  return undefined;
}

/** A class whose instances supply origins (see `OriginsProvider`), as opposed to a predicate. */
export function isOriginsProviderClass(
  value: unknown,
): value is new (...args: never[]) => OriginsProvider {
  return (
    typeof value === 'function' &&
    typeof (value.prototype as Partial<OriginsProvider> | undefined)?.getAllowedOrigins ===
      'function'
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}
