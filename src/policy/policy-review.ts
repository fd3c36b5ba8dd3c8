import { getDomain } from 'tldts';
import { describeEntry, showEntry } from './entry-display.js';
import type { OriginEntry } from './origin-entry.js';
import type { OriginPolicy } from './origin-policy.js';

/** Entries shown by name in a summary; the rest are counted by kind. */
const SHOWN_ENTRIES = 8;
const MAX_SHOWN_LENGTH = 100;

/**
 * One line describing what a policy does, for the startup log: its settings, then its entries
 * as normalized, each with its kind, e.g. `mode=enforce, missing Origin allowed, null refused,
 * 2 entries: 'https://app.example.com' (exact), 'https://*.example.com' (wildcard)`. A long
 * list shows its first entries and counts the rest by kind.
 *
 * @param providers For each entry, the `OriginsProvider` class it came from, if any.
 */
export function summarizePolicy(
  policy: OriginPolicy,
  providers: readonly (string | undefined)[] = [],
): string {
  const { entries, settings } = policy;
  const parts = [
    `mode=${settings.mode}`,
    `missing Origin ${settings.allowMissingOrigin ? 'allowed' : 'refused'}`,
    `null ${entries.some((e) => e.kind === 'null' || e.kind === 'any') ? 'allowed' : 'refused'}`,
  ];
  if (settings.sameOrigin !== undefined) {
    parts.push(
      `same-origin for ${settings.sameOrigin.hosts === 'any' ? 'any host' : [...settings.sameOrigin.hosts].join(', ')}`,
    );
  }
  const described = entries.map((entry, index) => {
    const shown = showEntry(entry);
    const text = shown.length > MAX_SHOWN_LENGTH ? `${shown.slice(0, MAX_SHOWN_LENGTH)}…` : shown;
    const { kind } = describeEntry(entry);
    const provider = providers[index];
    return { kind, line: `${text} (${kind}${provider === undefined ? '' : `, from ${provider}`})` };
  });
  const count = entries.length === 1 ? '1 entry' : `${entries.length} entries`;
  if (described.length === 0) return [...parts, 'no entries'].join(', ');
  if (described.length <= SHOWN_ENTRIES) {
    return `${parts.join(', ')}, ${count}: ${described.map((d) => d.line).join(', ')}`;
  }
  const kinds = new Map<string, number>();
  for (const { kind } of described) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  const byKind = [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
  const first = described.slice(0, SHOWN_ENTRIES).map((d) => d.line);
  return `${parts.join(', ')}, ${count} (${byKind}), the first ${SHOWN_ENTRIES}: ${first.join(', ')}, and ${described.length - SHOWN_ENTRIES} more`;
}

/** Valid configurations that are probably not what was meant, each with what to do. */
export function reviewPolicy(policy: OriginPolicy): string[] {
  const warnings: string[] = [];
  const { entries, settings } = policy;
  if (entries.some((e) => e.kind === 'any')) {
    warnings.push(
      "contains '*': pages on every site may open WebSockets here, so Cross-Site WebSocket Hijacking is not prevented. List your origins instead.",
    );
  } else if (entries.length === 0 && settings.sameOrigin === undefined) {
    warnings.push('is empty: every browser handshake will be refused with 403.');
  }
  if (entries.some((e) => e.kind === 'null')) {
    warnings.push(
      "lists 'null': sandboxed iframes and file:/data: pages of any site send Origin: null too. Remove it unless you must serve such pages.",
    );
  }
  for (const host of hostsListedOverHttpAndHttps(entries)) {
    warnings.push(
      `lists both http:// and https:// for ${host}: a page served over plain http can be altered in transit. Drop the http:// entry unless the app is served over http.`,
    );
  }
  for (const entry of entries) {
    if (entry.kind !== 'subdomains') continue;
    const domain = domainOf(entry.keys[0]!);
    if (getDomain(domain, { allowPrivateDomains: true }) === null) {
      warnings.push(
        `has '${entry.source}', a wildcard over the public suffix "${domain}": anyone can register a site under it. Narrow it to your own domain.`,
      );
    }
  }
  if (settings.mode === 'report-only') {
    warnings.push(
      "is in mode 'report-only': refusals are logged, not enforced. Switch to 'enforce' once the logs show only expected origins.",
    );
  }
  if (settings.sameOrigin?.hosts === 'any') {
    warnings.push(
      "allows same-origin requests for any Host (sameOrigin.hosts: 'any'): a DNS-rebinding page is then same-origin. List the app's hosts instead.",
    );
  }
  if (settings.predicates.onFailure === 'allow' && entries.some((e) => e.kind === 'predicate')) {
    warnings.push("lets origins through when a predicate fails (predicates.onFailure: 'allow').");
  }
  return warnings;
}

function domainOf(key: string): string {
  return key.slice(key.indexOf('://') + 3).replace(/:[0-9]+$/, '');
}

function hostsListedOverHttpAndHttps(entries: readonly OriginEntry[]): string[] {
  const byScheme = { http: new Set<string>(), https: new Set<string>() };
  for (const entry of entries) {
    if (entry.kind !== 'exact' && entry.kind !== 'subdomains') continue;
    for (const key of entry.keys) {
      const scheme = key.slice(0, key.indexOf('://'));
      const host = (entry.kind === 'subdomains' ? '*.' : '') + domainOf(key);
      if (scheme === 'http' || scheme === 'https') byScheme[scheme].add(host);
    }
  }
  return [...byScheme.http].filter((host) => byScheme.https.has(host));
}
