import { describe, expect, it } from 'vitest';
import { balancedOrder } from '../../bench/balanced-order.js';

/** How often each ordered pair (a right before b) occurs over rounds 0 … rounds-1. */
function predecessorCounts(n: number, rounds: number): Map<string, number> {
  const items = Array.from({ length: n }, (_, i) => i);
  const counts = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    const order = balancedOrder(items, round);
    expect(order.toSorted((a, b) => a - b)).toEqual(items);
    for (let i = 1; i < n; i++) {
      const pair = `${order[i - 1]}>${order[i]}`;
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
  }
  return counts;
}

describe('balancedOrder', () => {
  it('starts from 0, 1, n-1, 2, n-2, … and shifts each round', () => {
    expect(balancedOrder([0, 1, 2, 3, 4, 5], 0)).toEqual([0, 1, 5, 2, 4, 3]);
    expect(balancedOrder([0, 1, 2, 3, 4, 5], 1)).toEqual([1, 2, 0, 3, 5, 4]);
    expect(balancedOrder(['a', 'b'], 1)).toEqual(['b', 'a']);
  });

  it.each([2, 4, 6, 8])('puts every item right after every other once in %i rounds', (n) => {
    const counts = predecessorCounts(n, n);
    expect(counts.size).toBe(n * (n - 1));
    expect(new Set(counts.values())).toEqual(new Set([1]));
  });

  it.each([3, 5, 7])('balances an odd count of %i over twice as many rounds', (n) => {
    const counts = predecessorCounts(n, 2 * n);
    expect(counts.size).toBe(n * (n - 1));
    expect(new Set(counts.values())).toEqual(new Set([2]));
  });

  it('unlike a rotation, gives an item different predecessors in the first rounds', () => {
    const items = [0, 1, 2, 3, 4, 5];
    const before5 = [0, 1, 2].map((round) => {
      const order = balancedOrder(items, round);
      return order[order.indexOf(5) - 1];
    });
    expect(new Set(before5).size).toBe(3);
  });
});
