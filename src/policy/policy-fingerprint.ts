import type { OriginEntry } from './origin-entry.js';
import type { OriginPolicySettings } from './policy-settings.js';

const functionIds = new WeakMap<Function, number>();
let lastFunctionId = 0;
/** Identifies a predicate in fingerprints: the same function decides alike, another may not. */
function functionId(fn: Function): number {
  let id = functionIds.get(fn);
  if (id === undefined) {
    id = ++lastFunctionId;
    functionIds.set(fn, id);
  }
  return id;
}

/** Equal for two compiled lists that decide every request the same way. */
export function fingerprintOf(
  entries: readonly OriginEntry[],
  settings: OriginPolicySettings,
): string {
  const keys = entries.flatMap((e) => {
    switch (e.kind) {
      case 'exact':
      case 'subdomains':
        return e.keys.map((k) => `${e.kind}${e.anyPort ? ':*' : ''} ${k}`);
      case 'regexp':
        return [`regexp ${e.source}`];
      case 'predicate':
        return [`predicate #${functionId(e.predicate)}`];
      default:
        return [e.kind];
    }
  });
  const sameOrigin =
    settings.sameOrigin === undefined
      ? null
      : settings.sameOrigin.hosts === 'any'
        ? 'any'
        : [...settings.sameOrigin.hosts].toSorted();
  return JSON.stringify([
    settings.allowMissingOrigin,
    settings.mode,
    sameOrigin,
    [...new Set(keys)].toSorted(),
  ]);
}
