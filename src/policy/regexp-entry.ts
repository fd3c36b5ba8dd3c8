import { type EntryDraft, repairDraft } from './entry-repair.js';
import type { OriginEntry } from './origin-entry.js';

/** What a subdomain at any depth looks like in a normalized origin. */
const ANY_SUBDOMAINS = '(?:[a-z0-9-]+\\.)*';
const SOME_SUBDOMAINS = '(?:[a-z0-9-]+\\.)+';

/**
 * Compiles a `RegExp` entry: it must be anchored at both ends and stateless, so that it
 * matches whole origins and the same origin every time.
 */
export function compileRegExpEntry(pattern: RegExp): OriginEntry | EntryDraft {
  const source = pattern.toString();
  if (/[gym]/.test(pattern.flags)) {
    return repairDraft(
      `has the "${pattern.flags.replace(/[^gym]/g, '')}" flag, which makes matching stateful or line-based`,
      rebuilt(pattern.source, pattern.flags.replace(/[gym]/g, '')),
      (s) => `drop it: ${s}`,
      'drop the g, y and m flags',
    );
  }
  const anchored =
    pattern.source.startsWith('^') &&
    pattern.source.endsWith('$') &&
    !pattern.source.endsWith('\\$');
  if (!anchored) {
    return repairDraft(
      'is not anchored at both ends, so it also matches origins that merely contain a match',
      wholeOrigin(pattern),
      (s) => `anchor it to whole origins: ${s}`,
      'anchor it with ^ and $ around scheme://host[:port]',
    );
  }
  if (topLevelAlternatives(pattern.source).length > 1) {
    return repairDraft(
      'has a top-level "|", so its anchors only bind the first and last alternatives',
      wholeOrigin(pattern),
      (s) => `group the alternatives: ${s}`,
      'group the alternatives: ^(?:a|b)$',
    );
  }
  return { kind: 'regexp', pattern, source };
}

/**
 * The pattern anchored at both ends, each alternative on its own. An alternative that names
 * no scheme (`example\.com$`) could never match an origin once anchored (origins start with
 * one), so it gets `https://` and the subdomains it matched unanchored: `/example\.com$/`
 * meant `https://example.com` and its subdomains.
 */
function wholeOrigin(pattern: RegExp): RegExp[] {
  const alternatives = topLevelAlternatives(pattern.source).map((alternative) => {
    const bare = alternative.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
    if (/:(?:\\\/|\/)(?:\\\/|\/)/.test(bare)) return bare;
    const host = bare.replace(/^\.[*+]/, '');
    return host.startsWith('\\.')
      ? `https:\\/\\/${SOME_SUBDOMAINS}${host.slice(2)}`
      : `https:\\/\\/${ANY_SUBDOMAINS}${host}`;
  });
  const body = alternatives.length === 1 ? alternatives[0]! : `(?:${alternatives.join('|')})`;
  return rebuilt(`^${body}$`, pattern.flags);
}

function rebuilt(source: string, flags: string): RegExp[] {
  try {
    return [new RegExp(source, flags)];
  } catch {
    return [];
  }
}

/** Splits a source at each `|` outside every group and character class. */
function topLevelAlternatives(source: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      alternatives.push(source.slice(start, i));
      start = i + 1;
    }
  }
  alternatives.push(source.slice(start));
  return alternatives;
}
