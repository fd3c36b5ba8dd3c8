/**
 * The origins every server-side benchmark uses. The list has an exact entry and a wildcard,
 * like a typical deployment, so a refused origin also pays for the wildcard lookup.
 */
export const BENCH_ALLOWED_ORIGINS = ['https://app.example.com', 'https://*.example.com'];
export const ALLOWED_ORIGIN = 'https://app.example.com';
export const REFUSED_ORIGIN = 'https://evil.example.org';

/**
 * A distinct refused origin per handshake: the worst case for any per-origin state (log
 * de-duplication, caches). `series` keeps warm-up and measured origins apart.
 */
export function distinctRefusedOrigin(series: string, index: number): string {
  return `https://${series}${index}.attacker-${index % 997}.example.org`;
}
