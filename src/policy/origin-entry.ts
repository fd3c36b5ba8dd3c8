import { describeEntry } from './entry-display.js';
import {
  type EntryDraft,
  isDraft,
  plainDraft,
  renderSuggestion,
  repairDraft,
  type Suggestion,
} from './entry-repair.js';
import type { OriginPredicate } from './origin-predicate.js';
import { compileRegExpEntry } from './regexp-entry.js';
import { compileStringEntry } from './string-entry.js';

/**
 * One allowlist entry, compiled from its configured form.
 *
 * - `exact`: serialized origins (`https://app.example.com`); a port list
 *   (`https://example.com:[8443,9443]`) compiles to one key per port.
 * - `subdomains`: `https://*.example.com`, one or more labels in front of the domain, same
 *   scheme and port; never the domain itself. Keys are `scheme://domain[:port]`.
 * - With `anyPort` (`http://localhost:*`), keys carry no port and every port matches,
 *   including none.
 * - `regexp`: an anchored `RegExp`, tested against the normalized serialized origin.
 * - `predicate`: a function deciding at handshake time (see `OriginPredicate`).
 * - `null`: the opaque origin `null`, only when listed literally.
 * - `any`: the single entry `'*'`.
 */
export type OriginEntry =
  | {
      readonly kind: 'exact' | 'subdomains';
      readonly keys: readonly string[];
      readonly anyPort: boolean;
      readonly source: string;
    }
  | { readonly kind: 'regexp'; readonly pattern: RegExp; readonly source: string }
  | { readonly kind: 'predicate'; readonly predicate: OriginPredicate; readonly source: string }
  | { readonly kind: 'null'; readonly source: 'null' }
  | { readonly kind: 'any'; readonly source: '*' };

/**
 * What a configured allowlist may hold: an origin string, an anchored `RegExp`, or a predicate.
 *
 * @example ['https://app.example.com', /^https:\/\/pr-\d+\.example\.dev$/, (origin) => tenants.has(origin)]
 * @publicApi
 */
export type OriginEntryInput = string | RegExp | OriginPredicate;

/** Why an entry was refused, and how to write it instead. */
export interface EntryProblem {
  readonly problem: string;
  readonly fix: string;
  /** The valid entries the fix names (see `entry-repair.ts`), normalized. */
  readonly suggestions: readonly Suggestion[];
}

export function isEntryProblem(value: OriginEntry | EntryProblem): value is EntryProblem {
  return 'problem' in value;
}

/** Enough for the longest chain of repairs a rule needs (path, then scheme, then a flag…). */
const MAX_REPAIRS = 4;

/** Compiles one configured entry; a refused one comes with a fix that names valid entries. */
export function compileOriginEntry(entry: unknown): OriginEntry | EntryProblem {
  const compiled = compileOnce(entry);
  return isDraft(compiled) ? settle(compiled) : compiled;
}

/** The valid entries a refused one should be written as, or the entry itself when valid. */
export function suggestionsFor(entry: unknown): readonly Suggestion[] {
  const compiled = compileOriginEntry(entry);
  return isEntryProblem(compiled)
    ? compiled.suggestions
    : [normalized(compiled, entry as Suggestion)];
}

function settle(draft: EntryDraft): EntryProblem {
  const found = draft.candidates.flatMap((candidate) => repaired(candidate, MAX_REPAIRS));
  const suggestions = found.filter((s, i) => found.findIndex((t) => String(t) === String(s)) === i);
  if (suggestions.length === 0) {
    return { problem: draft.problem, fix: draft.otherwise, suggestions };
  }
  return {
    problem: draft.problem,
    fix: draft.phrase(suggestions.map(renderSuggestion)),
    suggestions,
  };
}

function repaired(candidate: Suggestion, repairsLeft: number): Suggestion[] {
  const compiled = compileOnce(candidate);
  if (!isDraft(compiled)) return [normalized(compiled, candidate)];
  if (repairsLeft === 0) return [];
  return compiled.candidates.flatMap((next) => repaired(next, repairsLeft - 1));
}

/** A string suggestion as the policy reads it: `'HTTPS://Example.com/'` → `'https://example.com'`. */
function normalized(entry: OriginEntry, written: Suggestion): Suggestion {
  return typeof written === 'string' ? describeEntry(entry).text : written;
}

function compileOnce(entry: unknown): OriginEntry | EntryDraft {
  if (entry instanceof RegExp) return compileRegExpEntry(entry);
  if (typeof entry === 'function') {
    return {
      kind: 'predicate',
      predicate: entry as OriginPredicate,
      source: describePredicate(entry),
    };
  }
  if (entry instanceof URL) {
    return repairDraft(
      'is a URL object, not a string',
      [entry.origin],
      (s) => `pass its origin: ${s}`,
      'pass url.origin',
    );
  }
  if (typeof entry !== 'string') {
    return plainDraft(
      `is ${describeType(entry)}, not a string, RegExp or function`,
      'write each origin as a string (scheme://host[:port]), an anchored RegExp or a function',
    );
  }
  if (entry === '*') return { kind: 'any', source: '*' };
  if (entry === 'null') return { kind: 'null', source: 'null' };
  if (entry.toLowerCase() === 'null') {
    return repairDraft(
      'is not the opaque origin, which is written in lower case',
      ['null'],
      (s) => `write ${s} (and know that any site can send it)`,
      'write it in lower case',
    );
  }
  return compileStringEntry(entry);
}

function describePredicate(predicate: Function): string {
  return predicate.name ? `[function ${predicate.name}]` : '[function]';
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
