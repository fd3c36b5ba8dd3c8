/**
 * The baseline: what most hand-written origin checks do. Strings are compared with `===`,
 * wildcards become regular expressions, and the list is scanned in order until one matches.
 * It gets the `Origin` value for free (as `req.headers.origin`) and does no validation or
 * normalization, so the comparison flatters it.
 */
export type NaiveAllowlist = readonly (string | RegExp)[];

export function compileNaive(entries: readonly string[]): NaiveAllowlist {
  return entries.map((entry) => {
    if (!entry.includes('*')) return entry;
    const [scheme, suffix] = entry.split('://*.') as [string, string];
    return new RegExp(`^${escape(scheme)}://([a-z0-9-]+\\.)+${escape(suffix)}$`);
  });
}

export function naiveAllows(list: NaiveAllowlist, origin: string): boolean {
  for (const entry of list) {
    if (typeof entry === 'string' ? entry === origin : entry.test(origin)) return true;
  }
  return false;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
