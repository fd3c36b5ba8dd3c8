import { type ConfigProblem, renderValue } from '../policy/origin-guard-config.error.js';
import { isOriginsProviderClass } from './allowed-origins-args.js';

/** Looks up an `OriginsProvider` class in the application (`ModuleRef.get`). */
export type ProviderLookup = (token: Function) => unknown;

/** A declared list with its providers replaced by what they returned. */
export interface ResolvedEntries {
  readonly entries: readonly unknown[];
  /** For each entry, the name of the `OriginsProvider` class it came from, if any. */
  readonly providers: readonly (string | undefined)[];
}

/**
 * Replaces each `OriginsProvider` class in a declared list by the origins its instance
 * returns, once, at bootstrap. A class that is not a provider of the application, or whose
 * `getAllowedOrigins()` fails or returns no array, is a configuration problem.
 */
export async function resolveOriginsProviders(
  entries: readonly unknown[],
  at: string,
  lookup: ProviderLookup,
  problems: ConfigProblem[],
): Promise<ResolvedEntries> {
  const resolved: unknown[] = [];
  const providers: (string | undefined)[] = [];
  for (const [index, entry] of entries.entries()) {
    if (!isOriginsProviderClass(entry)) {
      resolved.push(entry);
      providers.push(undefined);
      continue;
    }
    const where = `${at}[${index}]`;
    let instance: unknown;
    try {
      instance = lookup(entry);
    } catch {
      instance = undefined;
    }
    if (instance === undefined || instance === null) {
      problems.push({
        at: where,
        value: renderValue(entry),
        problem: `names the OriginsProvider ${entry.name}, which is not a provider of the application`,
        fix: `add ${entry.name} to the providers of a module`,
      });
      continue;
    }
    try {
      const origins: unknown = await (
        instance as { getAllowedOrigins(): unknown }
      ).getAllowedOrigins();
      if (Array.isArray(origins)) {
        resolved.push(...(origins as unknown[]));
        providers.push(...origins.map(() => entry.name));
      } else {
        problems.push({
          at: where,
          value: renderValue(entry),
          problem: `returned ${renderValue(origins)} from getAllowedOrigins(), not an array`,
          fix: "return a list such as ['https://tenant.example.com']",
        });
      }
    } catch (error) {
      problems.push({
        at: where,
        value: renderValue(entry),
        problem: `failed in getAllowedOrigins(): ${(error as Error)?.message ?? String(error)}`,
        fix: 'make getAllowedOrigins() succeed at bootstrap, or return a predicate that looks origins up later',
      });
    }
  }
  return { entries: resolved, providers };
}
