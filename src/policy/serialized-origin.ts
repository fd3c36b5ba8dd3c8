/**
 * The strict reader for one serialized origin (RFC 6454 §6.2): `scheme "://" host [ ":" port ]`.
 *
 * It accepts exactly what a browser puts in an `Origin` header and nothing it would have to
 * "repair". WHATWG `new URL()` silently rewrites hostile input (full-width dots become dots,
 * `%2E` is decoded, userinfo is dropped, `0x7f.1` becomes `127.0.0.1`), so a value is judged
 * here as raw text and refused when it is not already in canonical form.
 *
 * Pure and framework-free: both the incoming header and the configured entries go through it,
 * so the two sides of every comparison are normalized by the same code.
 */

/**
 * A syntactically valid, normalized origin.
 *
 * @example { scheme: 'https', host: 'app.example.com', port: undefined, serialized: 'https://app.example.com' }
 * @publicApi
 */
export interface ParsedOrigin {
  /** Lower-cased scheme, without `://`. */
  readonly scheme: string;
  /** Lower-cased host: DNS labels, a dotted-quad IPv4 address or a bracketed IPv6 address. */
  readonly host: string;
  /** Explicit port, or `undefined` when absent or the scheme's default (80 for http, 443 for https). */
  readonly port: number | undefined;
  /** The canonical serialization: `scheme://host[:port]`. */
  readonly serialized: string;
}

/** Why a value is not a serialized origin; worded to complete "the value …". */
export type OriginSyntaxError = { readonly error: string };

/** Longest value looked at: a 253-character host plus scheme and port fits well within it. */
const MAX_ORIGIN_LENGTH = 512;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

// scheme per RFC 3986 §3.1; the authority may not hold '/', '?', '#', '@' or brackets outside IPv6.
const ORIGIN_SHAPE = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-f:.]+\]|[^/?#@[\]:]+)(?::([0-9]+))?$/;
const LABEL = /^[a-z0-9_-]{1,63}$/;
// WHATWG treats a host whose last label "looks like a number" as IPv4 and rewrites it.
const NUMERIC_LAST_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/;
const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;

export function isOriginSyntaxError(
  value: ParsedOrigin | OriginSyntaxError,
): value is OriginSyntaxError {
  return 'error' in value;
}

/**
 * Reads a serialized origin. The scheme and host are lower-cased (origins compare
 * case-insensitively there) and a default port is elided; anything else that is not already
 * canonical is an error.
 *
 * @example
 * ```ts
 * parseSerializedOrigin('HTTPS://App.Example.com:443'); // { serialized: 'https://app.example.com', … }
 * parseSerializedOrigin('https://a.com@evil.com');      // { error: 'contains userinfo (user@)' }
 * ```
 * @publicApi
 */
export function parseSerializedOrigin(value: string): ParsedOrigin | OriginSyntaxError {
  if (value.length === 0) return { error: 'is empty' };
  if (value.length > MAX_ORIGIN_LENGTH) {
    return { error: `is longer than ${MAX_ORIGIN_LENGTH} characters` };
  }
  const badCharacter = findForbiddenCharacter(value);
  if (badCharacter !== undefined) return { error: badCharacter };

  const lower = value.toLowerCase();
  const shape = ORIGIN_SHAPE.exec(lower);
  if (shape === null) return { error: describeShapeError(lower) };
  const scheme = shape[1]!;
  const host = shape[2]!;
  const portText = shape[3];

  const hostError = host.startsWith('[') ? checkIpv6(host) : checkDomainOrIpv4(host);
  if (hostError !== undefined) return { error: hostError };

  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^[1-9][0-9]{0,4}$/.test(portText) || Number(portText) > 65535) {
      return {
        error: `has port "${portText}", which is not a number from 1 to 65535 without leading zeros`,
      };
    }
    port = Number(portText);
    if (DEFAULT_PORTS[scheme] === port) port = undefined;
  }
  const serialized = port === undefined ? `${scheme}://${host}` : `${scheme}://${host}:${port}`;
  return { scheme, host, port, serialized };
}

function findForbiddenCharacter(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0x20 && code < 0x7f) continue;
    if (code === 0x20 || code === 0x09) return 'contains whitespace';
    if (code < 0x20 || code === 0x7f) return 'contains a control character';
    return 'contains a non-ASCII character (hosts must be sent in punycode)';
  }
  if (value.includes('%')) return 'contains a percent-escape';
  return undefined;
}

function describeShapeError(lower: string): string {
  const schemeEnd = lower.indexOf('://');
  if (schemeEnd <= 0) return 'has no scheme (expected scheme://host)';
  const rest = lower.slice(schemeEnd + 3);
  if (rest.includes('@')) return 'contains userinfo (user@)';
  if (rest.includes(',')) return 'holds more than one origin';
  const pathStart = rest.search(/[/?#]/);
  if (pathStart === 0) return 'has no host';
  if (pathStart > 0) {
    return rest[pathStart] === '/'
      ? 'has a path (even a trailing slash)'
      : 'has a query or fragment';
  }
  if (!/^[a-z][a-z0-9+.-]*$/.test(lower.slice(0, schemeEnd))) return 'has an invalid scheme';
  return 'is not of the form scheme://host[:port]';
}

function checkDomainOrIpv4(host: string): string | undefined {
  if (host.length > 253) return 'has a host longer than 253 characters';
  const labels = host.split('.');
  if (labels.some((label) => label.length === 0)) {
    return host.endsWith('.') ? 'has a trailing dot in the host' : 'has an empty label in the host';
  }
  for (const label of labels) {
    if (!LABEL.test(label)) return `has an invalid host label "${label}"`;
  }
  if (NUMERIC_LAST_LABEL.test(labels[labels.length - 1]!)) {
    const canonicalIpv4 =
      labels.length === 4 && labels.every((l) => DECIMAL_OCTET.test(l) && Number(l) <= 255);
    if (!canonicalIpv4)
      return 'has a numeric host that is not a canonical dotted-quad IPv4 address';
  }
  return undefined;
}

function checkIpv6(host: string): string | undefined {
  // Used only to learn the canonical spelling of an already well-shaped address; a value
  // that differs from it (zero padding, upper case, embedded IPv4) is refused, not rewritten.
  let canonical: string;
  try {
    canonical = new URL(`http://${host}`).host;
  } catch {
    return 'has an invalid IPv6 address';
  }
  return canonical === host ? undefined : 'has an IPv6 address that is not in canonical form';
}
