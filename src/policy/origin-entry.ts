import { domainToASCII } from 'node:url';
import { isOriginSyntaxError, parseSerializedOrigin } from './serialized-origin.js';

/**
 * One allowlist entry, compiled from its configured text.
 *
 * - `exact`: one serialized origin (`https://app.example.com`).
 * - `subdomains`: `https://*.example.com`, one or more labels in front of the suffix, same
 *   scheme and port; never the suffix itself.
 * - `null`: the opaque origin `null`, only when listed literally.
 * - `any`: the single entry `'*'`.
 */
export type OriginEntry =
  | { readonly kind: 'exact'; readonly origin: string; readonly source: string }
  | {
      readonly kind: 'subdomains';
      /** `scheme://suffix[:port]`, the lookup key a candidate origin's parent domains are tried against. */
      readonly key: string;
      readonly source: string;
    }
  | { readonly kind: 'null'; readonly source: 'null' }
  | { readonly kind: 'any'; readonly source: '*' };

/** Why an entry was refused, and how to write it instead. */
export interface EntryProblem {
  readonly problem: string;
  readonly fix: string;
}

export function isEntryProblem(value: OriginEntry | EntryProblem): value is EntryProblem {
  return 'problem' in value;
}

const WILDCARD_PREFIX = /^([a-z][a-z0-9+.-]*:\/\/)\*\./i;

export function compileOriginEntry(entry: unknown): OriginEntry | EntryProblem {
  if (typeof entry !== 'string') {
    return {
      problem: `is ${describeType(entry)}, not a string`,
      fix: "write each origin as a string such as 'https://app.example.com'",
    };
  }
  if (entry === '*') return { kind: 'any', source: '*' };
  if (entry === 'null') return { kind: 'null', source: 'null' };

  const text = canonicalizeConfiguredHost(entry);
  const wildcard = WILDCARD_PREFIX.exec(text);
  if (wildcard === null) {
    if (text.includes('*')) return wildcardMisplaced();
    const parsed = parseSerializedOrigin(text);
    if (isOriginSyntaxError(parsed)) return explain(entry, parsed.error);
    const schemeProblem = checkScheme(parsed.scheme, entry);
    if (schemeProblem !== undefined) return schemeProblem;
    return { kind: 'exact', origin: parsed.serialized, source: entry };
  }

  // `https://*.example.com` is checked as `https://example.com`, then matched as a suffix.
  const rest = text.slice(wildcard[0].length);
  if (rest.includes('*')) return wildcardMisplaced();
  const parsed = parseSerializedOrigin(wildcard[1] + rest);
  if (isOriginSyntaxError(parsed)) return explain(entry, parsed.error);
  const schemeProblem = checkScheme(parsed.scheme, entry);
  if (schemeProblem !== undefined) return schemeProblem;
  if (parsed.host.startsWith('[') || /^[0-9.]+$/.test(parsed.host)) {
    return {
      problem: 'puts a wildcard in front of an IP address',
      fix: 'list each address as an exact origin',
    };
  }
  if (!parsed.host.includes('.')) {
    return {
      problem: `would match every subdomain of the top-level domain "${parsed.host}"`,
      fix: `narrow it to a domain you control, e.g. '${parsed.scheme}://*.example.${parsed.host}'`,
    };
  }
  return { kind: 'subdomains', key: parsed.serialized, source: entry };
}

function checkScheme(scheme: string, entry: string): EntryProblem | undefined {
  if (scheme !== 'ws' && scheme !== 'wss') return undefined;
  const pageScheme = scheme === 'wss' ? 'https' : 'http';
  return {
    problem: `uses the "${scheme}" scheme, which no browser sends as an Origin`,
    fix: `list the origin of the web page instead: '${entry.replace(/^wss?/i, pageScheme)}'`,
  };
}

function wildcardMisplaced(): EntryProblem {
  return {
    problem: 'has a "*" that does not stand for whole leading DNS labels',
    fix: "write subdomain wildcards as 'https://*.example.com', or use '*' alone to allow every origin",
  };
}

function explain(entry: string, error: string): EntryProblem {
  if (error.startsWith('has no scheme')) {
    return {
      problem: 'has no scheme',
      fix: `write the full origin, e.g. 'https://${entry.replace(/^\/*/, '')}'`,
    };
  }
  if (error.startsWith('has a path')) {
    const origin = /^[^:]+:\/\/[^/?#]*/.exec(entry)?.[0] ?? entry;
    return { problem: error, fix: `an origin has no path: write '${origin}'` };
  }
  if (error.startsWith('has a query')) {
    const origin = /^[^:]+:\/\/[^/?#]*/.exec(entry)?.[0] ?? entry;
    return { problem: error, fix: `remove it: write '${origin}'` };
  }
  if (error.startsWith('contains userinfo')) {
    return { problem: error, fix: "remove the 'user@' part: an origin never carries credentials" };
  }
  if (error.startsWith('has a trailing dot')) {
    return { problem: error, fix: 'remove the trailing dot (such origins are never allowed)' };
  }
  if (error.startsWith('has port')) {
    return { problem: error, fix: 'use a port from 1 to 65535, or leave it out for the default' };
  }
  if (error.startsWith('contains whitespace')) {
    return {
      problem: error,
      fix: 'remove the whitespace; list several origins as separate entries',
    };
  }
  return {
    problem: error,
    fix: "write it as scheme://host[:port], e.g. 'https://app.example.com'",
  };
}

/**
 * Configuration is trusted input, so hosts written the way people write them are converted to
 * the form browsers send: Unicode to punycode (`https://bücher.example`), IPv6 to its canonical
 * spelling. Incoming headers get no such help.
 */
function canonicalizeConfiguredHost(entry: string): string {
  const ipv6 = /^([a-z][a-z0-9+.-]*:\/\/)(\[[0-9a-f:.]+\])(.*)$/is.exec(entry);
  if (ipv6 !== null) {
    try {
      return ipv6[1] + new URL(`http://${ipv6[2]}`).host + ipv6[3];
    } catch {
      return entry;
    }
  }
  if (!/[^\u0020-\u007e]/.test(entry)) return entry;
  const match = /^([a-z][a-z0-9+.-]*:\/\/(?:\*\.)?)([^/?#:@]+)(.*)$/is.exec(entry);
  if (match === null) return entry;
  const ascii = domainToASCII(match[2]!);
  return ascii === '' ? entry : match[1] + ascii + match[3];
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
