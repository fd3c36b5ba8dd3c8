/**
 * fast-check parameters for a property that runs `numRuns` times. `npm run mutate` sets
 * `PROPERTY_RUNS` to cap the runs, so that the suite stays short for each of the thousands of
 * mutants, and then fixes the seed, so that whether a mutant is killed does not depend on the
 * draw.
 */
export function propertyRuns(numRuns: number): { numRuns: number; seed?: number } {
  const cap = Number(process.env.PROPERTY_RUNS);
  return Number.isInteger(cap) && cap > 0
    ? { numRuns: Math.min(numRuns, cap), seed: 1 }
    : { numRuns };
}
