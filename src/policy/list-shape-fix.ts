import { renderSuggestion } from './entry-repair.js';
import { suggestionsFor } from './origin-entry.js';
import { parseOriginList } from './origin-list-text.js';

/**
 * The fix for an allowlist that is not an array. A bare string is the common slip (an
 * environment variable passed as is): it becomes the list it spells, each entry repaired like
 * any other, so the fix names only valid entries.
 */
export function notAnArrayFix(list: unknown): string {
  const generic = "pass an array of origins such as ['https://app.example.com']";
  if (typeof list !== 'string') return generic;
  const pieces = parseOriginList(list);
  const shown = pieces.flatMap((piece) => suggestionsFor(piece)).map(renderSuggestion);
  if (shown.length === 0) return generic;
  return pieces.length > 1
    ? `split it into entries, e.g. with parseOriginList(text): [${shown.join(', ')}]`
    : `wrap it in an array: [${shown.join(', ')}]`;
}
