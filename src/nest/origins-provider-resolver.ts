import { type ConfigProblem, renderValue } from '../policy/origin-guard-config.error.js';
import { isOriginsProviderClass } from './allowed-origins-args.js';

/** Looks up an `OriginsProvider` class in the application (`ModuleRef.get`). */
export type ProviderLookup = (token: Function) => unknown;

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
): Promise<unknown[]> {
  const resolved: unknown[] = [];
  for (const [index, entry] of entries.entries()) {
    if (!isOriginsProviderClass(entry)) {
      resolved.push(entry);
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
      if (Array.isArray(origins)) resolved.push(...(origins as unknown[]));
      else {
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
  return resolved;
}
