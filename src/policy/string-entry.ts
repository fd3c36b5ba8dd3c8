import { readConfiguredText } from './configured-entry-text.js';
import { type EntryDraft, plainDraft, repairDraft } from './entry-repair.js';
import { explainSyntaxError } from './entry-syntax-fix.js';
import type { OriginEntry } from './origin-entry.js';
import {
  isOriginSyntaxError,
  type OriginSyntaxError,
  parseSerializedOrigin,
} from './serialized-origin.js';

const WILDCARD_PREFIX = /^([a-z][a-z0-9+.-]*:\/\/)\*\./i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const ANY_PORT = /:\*$/;
const PORT_LIST = /:\[([^\]]*)\]$/;

/** Compiles an origin string: exact, port forms, subdomain wildcards. */
export function compileStringEntry(entry: string): OriginEntry | EntryDraft {
  const text = readConfiguredText(entry);
  if (!HAS_SCHEME.test(text)) {
    // ORIGIN_SHAPE starts with the same scheme pattern, so text without one never parses.
    const parsed = parseSerializedOrigin(text) as OriginSyntaxError;
    return explainSyntaxError(text, parsed.error);
  }
  const { base, ports, anyPort, problem } = splitPortForm(text);
  if (problem !== undefined) return problem;
  const portForm = text.slice(base.length);
  const wildcard = WILDCARD_PREFIX.exec(base);
  const body = wildcard === null ? base : wildcard[1] + base.slice(wildcard[0].length);
  if (body.includes('*')) return wildcardMisplaced(base, portForm);

  const keys: string[] = [];
  let host = '';
  for (const port of ports) {
    const parsed = parseSerializedOrigin(port === undefined ? body : `${body}:${port}`);
    if (isOriginSyntaxError(parsed)) return explainSyntaxError(text, parsed.error);
    const schemeProblem = checkScheme(parsed.scheme, text);
    if (schemeProblem !== undefined) return schemeProblem;
    if (anyPort && parsed.port !== undefined) {
      // From `base`, so that a wildcard's `*.` stays in both readings. They differ only in the
      // port, so both are valid or neither is (`*.com`), and then `otherwise` is the fix.
      const anyPortForm = `${base.replace(/:[0-9]+$/, '')}:*`;
      return {
        problem: `has both the port ${parsed.port} and ":*"`,
        candidates: [anyPortForm, base],
        phrase: (shown) => `keep one: ${shown[0]} for any port, or ${shown[1]} for that port`,
        otherwise: 'keep either the port or ":*"',
      };
    }
    keys.push(parsed.serialized);
    host = parsed.host;
  }
  if (wildcard === null) return { kind: 'exact', keys, anyPort, source: entry };

  // `https://*.example.com` was checked as `https://example.com`; it is matched as a suffix.
  if (host.startsWith('[') || /^[0-9.]+$/.test(host)) {
    return repairDraft(
      'puts a wildcard in front of an IP address',
      [body + portForm],
      (s) => `list each address as an exact origin, such as ${s}`,
      'list each address as an exact origin',
    );
  }
  if (!host.includes('.')) {
    return plainDraft(
      `would match every subdomain of the top-level domain "${host}"`,
      'narrow it to a domain you control: anyone can register a name under a top-level domain',
    );
  }
  return { kind: 'subdomains', keys, anyPort, source: entry };
}

/** Splits `:*` and `:[p1,p2]` off an entry; `ports` holds `undefined` for "as written". */
function splitPortForm(text: string): {
  base: string;
  ports: (string | undefined)[];
  anyPort: boolean;
  problem?: EntryDraft;
} {
  if (ANY_PORT.test(text)) return { base: text.slice(0, -2), ports: [undefined], anyPort: true };
  const list = PORT_LIST.exec(text);
  if (list === null) return { base: text, ports: [undefined], anyPort: false };
  const ports = list[1]!.split(',').map((p) => p.trim());
  if (ports.some((p) => !/^[0-9]+$/.test(p))) {
    const base = text.slice(0, list.index);
    const numbers = list[1]!.includes('-') ? [] : (list[1]!.match(/[0-9]+/g) ?? []);
    const candidates =
      numbers.length === 0
        ? []
        : [numbers.length === 1 ? `${base}:${numbers[0]}` : `${base}:[${numbers.join(',')}]`];
    return {
      base: text,
      ports: [],
      anyPort: false,
      problem: repairDraft(
        `has a port list "[${list[1]}]" that is not comma-separated port numbers`,
        candidates,
        (s) => `write only port numbers, separated by commas: ${s}`,
        'list each port, separated by commas (ranges are not supported), or write ":*" for any port',
      ),
    };
  }
  return { base: text.slice(0, list.index), ports, anyPort: false };
}

function checkScheme(scheme: string, text: string): EntryDraft | undefined {
  if (scheme !== 'ws' && scheme !== 'wss') return undefined;
  const pageScheme = scheme === 'wss' ? 'https' : 'http';
  return repairDraft(
    `uses the "${scheme}" scheme, which no browser sends as an Origin`,
    [text.replace(/^wss?/i, pageScheme)],
    (s) => `list the origin of the web page instead: ${s}`,
    'list the origin of the web page instead (http:// or https://)',
  );
}

/**
 * `https://*example.com` (a forgotten dot) and `https://*.*.example.com` mean
 * `https://*.example.com`; a `*` inside or after a fixed label has no wildcard form.
 */
function wildcardMisplaced(base: string, portForm: string): EntryDraft {
  const schemeEnd = base.indexOf('://') + 3;
  const labels = base.slice(schemeEnd).split('.');
  const starred = labels.map((label) => label.includes('*'));
  const lastStarred = starred.lastIndexOf(true);
  let domain: string | undefined;
  if (lastStarred === 0 && /^\*[a-z0-9]/i.test(labels[0]!)) {
    domain = [labels[0]!.slice(1), ...labels.slice(1)].join('.');
  } else if (
    labels.slice(0, lastStarred + 1).every((label) => label === '*') &&
    lastStarred < labels.length - 1
  ) {
    domain = labels.slice(lastStarred + 1).join('.');
  }
  return repairDraft(
    'has a "*" that does not stand for whole leading DNS labels',
    domain === undefined || domain.includes('*')
      ? []
      : [`${base.slice(0, schemeEnd)}*.${domain}${portForm}`],
    (s) => `write the subdomain wildcard as ${s} (list the domain itself separately)`,
    'a "*" can only stand for the leading labels of a host ("*." before a domain); use a RegExp for other shapes',
  );
}
