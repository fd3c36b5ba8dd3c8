// @ts-check
/**
 * Mutation testing, run 1 of 2 (`npm run mutate`): the origin policy, src/policy/, against the
 * unit specs only (vitest.mutation.config.ts). Not narrowed with Stryker's `testFiles`: with it,
 * Stryker 9.6 activates static mutants (module-level constants) after the modules have loaded,
 * so they all "survive".
 * Run 2 (stryker.handshake.config.mjs) mutates the handshake decision paths with the e2e specs.
 * Reports: reports/mutation/policy/ (HTML and JSON, gitignored).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: ['src/policy/**/*.ts', '!src/**/*.spec.ts'],
  coverageAnalysis: 'perTest',
  // A static mutant reruns the whole suite on a busy 2-core machine: the default 5 s margin
  // turned slow runs into false timeouts.
  timeoutMS: 15_000,
  // The machine has 2 cores, shared with others.
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/policy/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/policy/mutation.json' },
  incrementalFile: 'reports/mutation/policy/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', 'dist', 'dist-demo', 'dist-bench', '.bench-out', 'coverage'],
  thresholds: { high: 90, low: 80, break: null },
};

export default config;
