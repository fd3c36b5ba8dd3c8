import type { EntryProblem, OriginEntry } from './origin-entry.js';

/**
 * Compiles a `RegExp` entry: it must be anchored at both ends and stateless, so that it
 * matches whole origins and the same origin every time.
 */
export function compileRegExpEntry(pattern: RegExp): OriginEntry | EntryProblem {
  const source = pattern.toString();
  if (/[gym]/.test(pattern.flags)) {
    return {
      problem: `has the "${pattern.flags.replace(/[^gym]/g, '')}" flag, which makes matching stateful or line-based`,
      fix: `drop it: /${pattern.source}/${pattern.flags.replace(/[gym]/g, '')}`,
    };
  }
  if (
    !pattern.source.startsWith('^') ||
    !pattern.source.endsWith('$') ||
    pattern.source.endsWith('\\$')
  ) {
    const inner = pattern.source.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
    return {
      problem:
        'is not anchored at both ends, so it also matches origins that merely contain a match',
      fix: `anchor it: /^${inner}$/${pattern.flags}`,
    };
  }
  if (hasTopLevelAlternation(pattern.source)) {
    return {
      problem: 'has a top-level "|", so its anchors only bind the first and last alternatives',
      fix: `group the alternatives: /^(?:${pattern.source.slice(1, -1)})$/${pattern.flags}`,
    };
  }
  return { kind: 'regexp', pattern, source };
}

/** Finds a `|` outside every group and character class. */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) return true;
  }
  return false;
}
