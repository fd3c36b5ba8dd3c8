import type { OriginEntry } from './origin-entry.js';
import type { ParsedOrigin } from './serialized-origin.js';

/**
 * The exact and wildcard entries of a policy, in maps: an origin costs the same for 1 or
 * 10,000 entries, since a wildcard is found by trying the origin's parent domains (one map
 * look-up per DNS label), and no request scans the list.
 *
 * Only parent domains with as many labels as some wildcard's domain are looked up, and empty
 * maps not at all: a look-up in a map of thousands of keys misses the CPU caches, and an
 * origin that matches nothing (every refusal) would otherwise try every label in every map.
 */
export class OriginIndex {
  private readonly exact = new Map<string, string>();
  private readonly exactAnyPort = new Map<string, string>();
  private readonly subdomains = new Map<string, string>();
  private readonly subdomainsAnyPort = new Map<string, string>();
  /** `true` at index n when some wildcard's domain has n labels (`*.example.com`: 2). */
  private readonly wildcardLabels: boolean[] = [];

  /** Indexes the exact and wildcard entries among `entries`; the first source of a key wins. */
  constructor(entries: readonly OriginEntry[]) {
    for (const entry of entries) {
      if (entry.kind !== 'exact' && entry.kind !== 'subdomains') continue;
      const map =
        entry.kind === 'exact'
          ? entry.anyPort
            ? this.exactAnyPort
            : this.exact
          : entry.anyPort
            ? this.subdomainsAnyPort
            : this.subdomains;
      for (const key of entry.keys) {
        if (!map.has(key)) map.set(key, entry.source);
        if (entry.kind === 'subdomains') this.wildcardLabels[domainLabels(key)] = true;
      }
    }
  }

  /** The source of the entry that matches `origin`, or `undefined`. */
  match(origin: ParsedOrigin): string | undefined {
    const { scheme, host, port } = origin;
    const found =
      this.exact.get(origin.serialized) ??
      (this.exactAnyPort.size === 0 ? undefined : this.exactAnyPort.get(`${scheme}://${host}`));
    if (found !== undefined || this.wildcardLabels.length === 0) return found;
    // A validated host is plain DNS labels, so each '.' starts a parent domain; the first
    // label is never empty, which is what keeps `*.example.com` from matching `example.com`.
    const portSuffix = port === undefined ? '' : `:${port}`;
    // The labels of the parent domain after the current dot.
    let labels = countDots(host);
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1), labels--) {
      if (this.wildcardLabels[labels] !== true) continue;
      const domain = `${scheme}://${host.slice(dot + 1)}`;
      const match =
        this.subdomains.get(domain + portSuffix) ??
        (this.subdomainsAnyPort.size === 0 ? undefined : this.subdomainsAnyPort.get(domain));
      if (match !== undefined) return match;
    }
    return undefined;
  }
}

/** Labels of the domain in a wildcard key, `scheme://domain[:port]` (a port adds no dot). */
function domainLabels(key: string): number {
  return countDots(key.slice(key.indexOf('://') + 3)) + 1;
}

function countDots(text: string): number {
  let dots = 0;
  for (let i = text.indexOf('.'); i !== -1; i = text.indexOf('.', i + 1)) dots++;
  return dots;
}
