/**
 * How a refused entry is repaired into the fix its error suggests.
 *
 * A rule that knows what the user meant proposes candidate entries; each candidate is
 * compiled again (and repaired again, a few times at most: `wss://example.com/socket` needs
 * its path and then its scheme fixed), and only candidates that come out valid are suggested.
 * So a `Fix:` never names an entry that would itself be refused. Suggestions are quoted the way
 * they are written in code: strings in single quotes, RegExps as literals; nothing else in a
 * fix is in single quotes.
 */

export type Suggestion = string | RegExp;

/** A refused entry before its candidates are checked. */
export interface EntryDraft {
  readonly problem: string;
  /** What the user probably meant, written as entries; may still be invalid themselves. */
  readonly candidates: readonly Suggestion[];
  /** The fix, given the valid suggestions as written in code. */
  readonly phrase: (shown: readonly string[]) => string;
  /** The fix when no candidate can be made valid. */
  readonly otherwise: string;
}

/** A problem without anything to suggest. */
export function plainDraft(problem: string, fix: string): EntryDraft {
  return { problem, candidates: [], phrase: () => fix, otherwise: fix };
}

/** A problem with candidates, worded `phrase(shown)` once they are checked. */
export function repairDraft(
  problem: string,
  candidates: readonly Suggestion[],
  phrase: (shown: string) => string,
  otherwise: string,
): EntryDraft {
  return { problem, candidates, phrase: (shown) => phrase(shown.join(', ')), otherwise };
}

export function isDraft(value: object): value is EntryDraft {
  return 'phrase' in value;
}

/** A suggestion as it is written in code and quoted in a fix. */
export function renderSuggestion(suggestion: Suggestion): string {
  return typeof suggestion === 'string' ? `'${suggestion}'` : String(suggestion);
}

/** `http` for what is usually served locally over plain http, `https` for the rest. */
export function likelyScheme(hostAndRest: string): 'http' | 'https' {
  // The second alternative matches the empty string: the pattern always matches.
  const host = /^(\[[^\]]*\]|[^:/?#]*)/
    .exec(hostAndRest)![1]!
    .toLowerCase()
    .replace(/^[^@]*@/, '')
    .replace(/\.+$/, '');
  const local =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.startsWith('[') ||
    /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(host);
  return local ? 'http' : 'https';
}
