import { type EntryDraft, likelyScheme, plainDraft, repairDraft } from './entry-repair.js';
import { parseOriginList } from './origin-list-text.js';

const ORIGIN_PART = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;
const BROKEN_SCHEME = /^(https?|wss?):?\/+|^(https?|wss?):(?!\d)/i;

/**
 * Turns what the strict origin parser found wrong with a configured entry into a problem and
 * the entry the user meant (see `entry-repair.ts`).
 */
export function explainSyntaxError(entry: string, error: string): EntryDraft {
  const quoted = /^(['"`])(.+)\1$/s.exec(entry.trim());
  if (quoted !== null) {
    return repairDraft(
      'is in quotes',
      [quoted[2]!],
      (s) => `remove the quotes: write ${s}`,
      'remove the quotes',
    );
  }
  const origin = ORIGIN_PART.exec(entry)?.[0];
  if (error.startsWith('has no scheme')) return missingScheme(entry);
  if (error.startsWith('has a path')) {
    return repairDraft(
      'has a path',
      origin === undefined ? [] : [origin],
      (s) => `an origin has no path: write ${s}`,
      'an origin has no path: write scheme://host[:port]',
    );
  }
  if (error.startsWith('has a query')) {
    return repairDraft(
      error,
      origin === undefined ? [] : [origin],
      (s) => `remove it: write ${s}`,
      'remove it: write scheme://host[:port]',
    );
  }
  if (error.startsWith('contains userinfo')) {
    const [scheme, rest] = splitScheme(entry);
    return repairDraft(
      error,
      [`${scheme}://${rest.slice(rest.lastIndexOf('@') + 1)}`],
      (s) => `remove the "user@" part, an origin never carries credentials: write ${s}`,
      'remove the "user@" part: an origin never carries credentials',
    );
  }
  if (error.startsWith('has a trailing dot')) {
    return repairDraft(
      error,
      [entry.replace(/\.+(?=(?::[0-9]+)?$)/, '')],
      (s) => `remove the trailing dot (origins with one are never allowed): write ${s}`,
      'remove the trailing dot (origins with one are never allowed)',
    );
  }
  if (error.startsWith('has port')) return badPort(entry, error);
  if (error.startsWith('contains whitespace') || error.startsWith('holds more than one')) {
    return severalOrigins(entry, error);
  }
  if (error.startsWith('contains a control character')) {
    return repairDraft(
      error,
      [withoutControlCharacters(entry)],
      (s) => `remove it (a stray CR from a Windows line ending, for instance): write ${s}`,
      'remove the control character',
    );
  }
  if (error.startsWith('contains a percent-escape')) {
    return repairDraft(error, decoded(entry), (s) => `write it decoded: ${s}`, 'remove the "%"');
  }
  if (error.startsWith('has a numeric host')) {
    return repairDraft(
      error,
      asBrowsersSendIt(entry),
      (s) => `write the address as browsers send it: ${s}`,
      'write IPv4 addresses as four decimal numbers, such as 192.0.2.1',
    );
  }
  if (error === 'is empty') {
    return plainDraft(
      error,
      'remove it (parseOriginList() drops the empty pieces that splitting text leaves)',
    );
  }
  return plainDraft(error, 'write it as scheme://host[:port]');
}

/**
 * `example.com` → `https://example.com`; `.example.com` (Django's "the domain and its
 * subdomains") → both; `https:/example.com` → `https://example.com`; `localhost:3000` →
 * `http://localhost:3000`.
 */
function missingScheme(entry: string): EntryDraft {
  const problem = 'has no scheme';
  const broken = BROKEN_SCHEME.exec(entry);
  if (broken !== null) {
    const scheme = (broken[1] ?? broken[2]!).toLowerCase();
    return repairDraft(
      problem,
      [`${scheme}://${entry.slice(broken[0].length)}`],
      (s) => `write "://" after the scheme: ${s}`,
      'write the full origin: scheme://host[:port]',
    );
  }
  const rest = entry.replace(/^\/+/, '');
  const otherwise = 'write the full origin: scheme://host[:port]';
  // `ftp//x`: what precedes the path does not look like a host, nothing to guess from.
  const beforePath = rest.split('/', 1)[0]!.replace(/^[^@]*@/, '');
  if (rest.includes('/') && !/[.:]|^localhost$/i.test(beforePath)) {
    return plainDraft(problem, otherwise);
  }
  const scheme = likelyScheme(rest.replace(/^[*.]+/, ''));
  if (rest.startsWith('.')) {
    return repairDraft(
      problem,
      [`${scheme}://${rest.slice(1)}`, `${scheme}://*.${rest.slice(1)}`],
      (s) => `a leading dot means the domain and its subdomains, two entries here: ${s}`,
      otherwise,
    );
  }
  return repairDraft(
    problem,
    [`${scheme}://${rest}`],
    (s) => `write the full origin, with the scheme your pages are served over: ${s}`,
    otherwise,
  );
}

function badPort(entry: string, error: string): EntryDraft {
  const port = /:([0-9]+)$/.exec(entry);
  const withoutPort = port === null ? entry : entry.slice(0, port.index);
  const trimmed = port === null ? undefined : port[1]!.replace(/^0+/, '');
  if (
    trimmed !== undefined &&
    trimmed !== port![1] &&
    Number(trimmed) >= 1 &&
    Number(trimmed) <= 65535
  ) {
    return repairDraft(
      error,
      [`${withoutPort}:${trimmed}`],
      (s) => `write the port without leading zeros: ${s}`,
      'write the port without leading zeros',
    );
  }
  return repairDraft(
    error,
    [withoutPort],
    (s) => `use a port from 1 to 65535, or none for the default port: ${s}`,
    'use a port from 1 to 65535, or none for the default port',
  );
}

/** Text holding several origins becomes one entry each; stray whitespace is dropped. */
function severalOrigins(entry: string, error: string): EntryDraft {
  const pieces = parseOriginList(entry);
  if (pieces.length > 1 && pieces.every((piece) => piece.includes('://'))) {
    return repairDraft(
      error,
      pieces,
      (s) => `list each origin as an entry of its own (parseOriginList() splits text so): ${s}`,
      'list each origin as an entry of its own (parseOriginList() splits text so)',
    );
  }
  return repairDraft(
    error,
    [entry.replace(/\s+/g, '')],
    (s) => `remove the whitespace: write ${s}`,
    'remove the whitespace; list several origins as separate entries',
  );
}

function withoutControlCharacters(text: string): string {
  // Code points, not UTF-16 units: a character outside the BMP stays one character.
  return Array.from(text)
    .filter((char) => char >= ' ' && char !== '\u007f')
    .join('');
}

function splitScheme(entry: string): [string, string] {
  const end = entry.indexOf('://');
  return [entry.slice(0, end), entry.slice(end + 3)];
}

function decoded(entry: string): string[] {
  try {
    const text = decodeURIComponent(entry);
    return text.includes('%') ? [] : [text];
  } catch {
    return [];
  }
}

/** `http://127.1` → `http://127.0.0.1`, as WHATWG URL parsing (and so a browser) reads it. */
function asBrowsersSendIt(entry: string): string[] {
  try {
    const url = new URL(entry);
    return url.origin === 'null' ? [] : [url.origin];
  } catch {
    return [];
  }
}
