/**
 * The order of `items` in round `round`: a row of a Williams design (a balanced Latin square).
 * Over `n` rounds (`2n` for an odd count) every item runs once in each position and right
 * after every other item equally often. A rotation (round `r` starting at item `r`) keeps each
 * item's predecessor the same in every round, so whatever a variant leaves behind (a server
 * tearing down its sessions, a GC) always lands on the same successor: the polling handshake
 * through our adapter, which always ran right after Nest's, measured 1.23× Nest's, and 0.87×
 * with the two swapped.
 */
export function balancedOrder<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  const rows = n % 2 === 0 ? n : 2 * n;
  const row = ((round % rows) + rows) % rows;
  const shift = row % n;
  // Row 0 is 0, 1, n-1, 2, n-2, …; row r adds r to each entry. An odd count also needs the
  // reversed rows to balance its predecessors.
  const order = items.map((_, j) => {
    const base = j === 0 ? 0 : j % 2 === 1 ? (j + 1) / 2 : n - j / 2;
    return items[(base + shift) % n]!;
  });
  return row < n ? order : order.toReversed();
}
