import type { OriginEntry } from './origin-entry.js';

/**
 * What kind of entry it is, as operators read it: `'https://example.com:*'` is not "exact",
 * it allows every port.
 */
export type EntryKind =
  | 'exact'
  | 'any port'
  | 'port list'
  | 'wildcard'
  | 'RegExp'
  | 'predicate'
  | 'opaque origin'
  | 'every origin';

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

/**
 * An entry as it was compiled: normalized (lower case, punycode, no default port, no trailing
 * slash), in the syntax it is configured with, and its kind.
 */
export function describeEntry(entry: OriginEntry): {
  readonly text: string;
  readonly kind: EntryKind;
} {
  switch (entry.kind) {
    case 'regexp':
      return { text: entry.source, kind: 'RegExp' };
    case 'predicate':
      return { text: entry.source, kind: 'predicate' };
    case 'null':
      return { text: 'null', kind: 'opaque origin' };
    case 'any':
      return { text: '*', kind: 'every origin' };
    default: {
      const wildcard = entry.kind === 'subdomains';
      const [first] = entry.keys as [string, ...string[]];
      const schemeEnd = first.indexOf('://') + 3;
      const scheme = first.slice(0, schemeEnd - 3);
      const host = first.slice(schemeEnd).replace(/:[0-9]+$/, '');
      const prefix = `${scheme}://${wildcard ? '*.' : ''}${host}`;
      if (entry.anyPort) return { text: `${prefix}:*`, kind: wildcard ? 'wildcard' : 'any port' };
      if (entry.keys.length === 1) {
        const port = portOf(first);
        return {
          text: port === undefined ? prefix : `${prefix}:${port}`,
          kind: wildcard ? 'wildcard' : 'exact',
        };
      }
      const ports = entry.keys.map((key) => portOf(key) ?? DEFAULT_PORTS[scheme] ?? '');
      return { text: `${prefix}:[${ports.join(',')}]`, kind: wildcard ? 'wildcard' : 'port list' };
    }
  }
}

/** A string entry quoted as in code; RegExps and predicates as they print. */
export function showEntry(entry: OriginEntry): string {
  const { text } = describeEntry(entry);
  return entry.kind === 'regexp' || entry.kind === 'predicate' ? text : `'${text}'`;
}

function portOf(key: string): string | undefined {
  return /:([0-9]+)$/.exec(key.slice(key.indexOf('://') + 3))?.[1];
}
