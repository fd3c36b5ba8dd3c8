/** Order statistics for small samples of repeated runs and for latency samples. */

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Median and range: with 3 to 5 rounds a mean would be pulled by one disturbed run. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = values.toSorted((a, b) => a - b);
  return { median: quantileOfSorted(sorted, 0.5), min: sorted[0]!, max: sorted.at(-1)! };
}

/** Linear-interpolated quantile (`q` in 0..1) of ascending values. */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (position - low);
}

/** Ratios of paired runs (same round), so that drift between rounds cancels out. */
export function pairedRatios(
  numerators: readonly number[],
  denominators: readonly number[],
): number[] {
  const count = Math.min(numerators.length, denominators.length);
  return Array.from({ length: count }, (_, i) => numerators[i]! / denominators[i]!);
}
