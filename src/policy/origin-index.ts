import type { OriginEntry } from './origin-entry.js';
import type { ParsedOrigin } from './serialized-origin.js';

/**
 * The exact and wildcard entries of a policy, in maps: an origin costs the same for 1 or
 * 10,000 entries, since a wildcard is found by trying the origin's parent domains (one map
 * look-up per DNS label), and no request scans the list.
 */
export class OriginIndex {
  private readonly exact = new Map<string, string>();
  private readonly exactAnyPort = new Map<string, string>();
  private readonly subdomains = new Map<string, string>();
  private readonly subdomainsAnyPort = new Map<string, string>();

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
      for (const key of entry.keys) if (!map.has(key)) map.set(key, entry.source);
    }
  }

  /** The source of the entry that matches `origin`, or `undefined`. */
  match(origin: ParsedOrigin): string | undefined {
    const { scheme, host, port } = origin;
    const found = this.exact.get(origin.serialized) ?? this.exactAnyPort.get(`${scheme}://${host}`);
    if (found !== undefined || (this.subdomains.size === 0 && this.subdomainsAnyPort.size === 0)) {
      return found;
    }
    // A validated host is plain DNS labels, so each '.' starts a parent domain; the first
    // label is never empty, which is what keeps `*.example.com` from matching `example.com`.
    const portSuffix = port === undefined ? '' : `:${port}`;
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const domain = `${scheme}://${host.slice(dot + 1)}`;
      const match = this.subdomains.get(domain + portSuffix) ?? this.subdomainsAnyPort.get(domain);
      if (match !== undefined) return match;
    }
    return undefined;
  }
}
