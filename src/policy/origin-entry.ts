import { domainToASCII } from 'node:url';
import type { OriginPredicate } from './origin-predicate.js';
import { explainSyntaxError } from './entry-syntax-fix.js';
import { compileRegExpEntry } from './regexp-entry.js';
import { isOriginSyntaxError, parseSerializedOrigin } from './serialized-origin.js';

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
}

export function isEntryProblem(value: OriginEntry | EntryProblem): value is EntryProblem {
  return 'problem' in value;
}

const WILDCARD_PREFIX = /^([a-z][a-z0-9+.-]*:\/\/)\*\./i;
const ANY_PORT = /:\*$/;
const PORT_LIST = /:\[([^\]]*)\]$/;

export function compileOriginEntry(entry: unknown): OriginEntry | EntryProblem {
  if (entry instanceof RegExp) return compileRegExpEntry(entry);
  if (typeof entry === 'function') {
    return {
      kind: 'predicate',
      predicate: entry as OriginPredicate,
      source: describePredicate(entry),
    };
  }
  if (typeof entry !== 'string') {
    return {
      problem: `is ${describeType(entry)}, not a string, RegExp or function`,
      fix: "write each origin as a string such as 'https://app.example.com'",
    };
  }
  if (entry === '*') return { kind: 'any', source: '*' };
  if (entry === 'null') return { kind: 'null', source: 'null' };

  const { base, ports, anyPort, problem } = splitPortForm(
    canonicalizeConfiguredHost(withoutTrailingSlash(entry)),
  );
  if (problem !== undefined) return problem;
  const wildcard = WILDCARD_PREFIX.exec(base);
  const body = wildcard === null ? base : wildcard[1] + base.slice(wildcard[0].length);
  if (body.includes('*')) return wildcardMisplaced();

  const keys: string[] = [];
  let host = '';
  for (const port of ports) {
    const parsed = parseSerializedOrigin(port === undefined ? body : `${body}:${port}`);
    if (isOriginSyntaxError(parsed)) return explainSyntaxError(entry, parsed.error);
    const schemeProblem = checkScheme(parsed.scheme, entry);
    if (schemeProblem !== undefined) return schemeProblem;
    if (anyPort && parsed.port !== undefined) {
      return {
        problem: `has both the port ${parsed.port} and ":*"`,
        fix: `keep one: '${body.replace(/:[0-9]+$/, '')}:*' for any port, or '${body}' for that port`,
      };
    }
    keys.push(parsed.serialized);
    host = parsed.host;
  }
  if (wildcard === null) return { kind: 'exact', keys, anyPort, source: entry };

  // `https://*.example.com` was checked as `https://example.com`; it is matched as a suffix.
  if (host.startsWith('[') || /^[0-9.]+$/.test(host)) {
    return {
      problem: 'puts a wildcard in front of an IP address',
      fix: 'list each address as an exact origin',
    };
  }
  if (!host.includes('.')) {
    const scheme = body.slice(0, body.indexOf(':'));
    return {
      problem: `would match every subdomain of the top-level domain "${host}"`,
      fix: `narrow it to a domain you control, e.g. '${scheme.toLowerCase()}://*.example.${host}'`,
    };
  }
  return { kind: 'subdomains', keys, anyPort, source: entry };
}

/** Splits `:*` and `:[p1,p2]` off an entry; `ports` holds `undefined` for "as written". */
function splitPortForm(text: string): {
  base: string;
  ports: (string | undefined)[];
  anyPort: boolean;
  problem?: EntryProblem;
} {
  if (ANY_PORT.test(text)) return { base: text.slice(0, -2), ports: [undefined], anyPort: true };
  const list = PORT_LIST.exec(text);
  if (list === null) return { base: text, ports: [undefined], anyPort: false };
  const ports = list[1]!.split(',').map((p) => p.trim());
  if (ports.some((p) => !/^[0-9]+$/.test(p))) {
    return {
      base: text,
      ports: [],
      anyPort: false,
      problem: {
        problem: `has a port list "[${list[1]}]" that is not comma-separated port numbers`,
        fix: "write it as 'https://example.com:[8443,9443]', or ':*' for any port",
      },
    };
  }
  return { base: text.slice(0, list.index), ports, anyPort: false };
}

function describePredicate(predicate: Function): string {
  return predicate.name ? `[function ${predicate.name}]` : '[function]';
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

/**
 * A URL pasted from the address bar ends in one `/` (`https://app.example.com/`): as an entry
 * it means the origin. Only the configured side is forgiven: an `Origin` header with a path is
 * still malformed, since no browser sends one.
 */
function withoutTrailingSlash(entry: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/$/i.test(entry) ? entry.slice(0, -1) : entry;
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
