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

const PROBES = 64;

/** Entry `i`: even = exact, odd = wildcard. A list of one is a single exact origin. */
function entry(i: number): string {
  return i % 2 === 0
    ? `https://app${i}.customer${i}.example.com`
    : `https://*.tenant${i}.example.net`;
}

function allowedBy(i: number, k: number): string {
  return i % 2 === 0
    ? `https://app${i}.customer${i}.example.com`
    : `https://eu${k}.tenant${i}.example.net`;
}

export function allowlistFixture(size: number, seed = 1): AllowlistFixture {
  const random = mulberry32(seed);
  const entries = Array.from({ length: size }, (_, i) => entry(i));
  const allowed = Array.from({ length: PROBES }, (_, k) =>
    allowedBy(Math.floor(random() * size), k),
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
