/**
 * Allowlists of a given size for the decision microbenchmark, half exact origins and half
 * subdomain wildcards, plus probe origins of one shape (four DNS labels) so that parsing
 * costs the same for every probe and only the lookup differs.
 */

export interface AllowlistFixture {
  readonly entries: string[];
  /** Origins the list allows, spread over the whole list (exact hits and wildcard hits). */
  readonly allowed: string[];
  /** Origins it refuses. */
  readonly refused: string[];
}

/**
 * More distinct probes than `OriginPolicy` keeps recent decisions for (256), cycled in order,
 * so that its decision cache never hits: every decision measured here parses and looks up.
 * (Repeat origins, the common case of real browsers, are cheaper still.)
 */
const PROBES = 1024;

/**
 * Entry `i`: odd = wildcard, even = exact, except that a list of one is a single wildcard: an
 * exact entry allows one origin only, which the policy's decision cache would then always
 * answer, and the 1-entry baseline would not measure a lookup at all.
 */
function isWildcard(i: number, size: number): boolean {
  return size === 1 || i % 2 === 1;
}

function entry(i: number, size: number): string {
  return isWildcard(i, size)
    ? `https://*.tenant${i}.example.net`
    : `https://app${i}.customer${i}.example.com`;
}

function allowedBy(i: number, k: number, size: number): string {
  return isWildcard(i, size)
    ? `https://eu${k}.tenant${i}.example.net`
    : `https://app${i}.customer${i}.example.com`;
}

export function allowlistFixture(size: number, seed = 1): AllowlistFixture {
  const random = mulberry32(seed);
  const entries = Array.from({ length: size }, (_, i) => entry(i, size));
  const allowed = Array.from({ length: PROBES }, (_, k) =>
    allowedBy(Math.floor(random() * size), k, size),
  );
  const refused = Array.from(
    { length: PROBES },
    (_, k) => `https://app${k}.customer${k}.attacker.org`,
  );
  return { entries, allowed, refused };
}

/** A small seeded PRNG, so every run probes the same entries. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
