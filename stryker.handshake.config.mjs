// @ts-check
import policy from './stryker.config.mjs';

/**
 * Mutation testing, run 2 of 2 (`npm run mutate`): the handshake decision paths, matched by
 * file name anywhere under src/ so that moving them keeps them mutated, against the unit specs
 * and the handshake e2e specs (vitest.mutation-handshake.config.ts).
 * Reports: reports/mutation/handshake/ (HTML and JSON, gitignored).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  ...policy,
  mutate: [
    'src/**/upgrade-gate.ts',
    'src/**/last-line.ts',
    'src/**/handshake-checker.ts',
    'src/**/jsonp-request.ts',
    'src/**/connect-carriers.ts',
    'src/**/upgrade-route.ts',
    'src/**/decision-reporter.ts',
    'src/**/message-handlers.ts',
    'src/**/engine-query.ts',
    '!src/**/*.spec.ts',
  ],
  vitest: { configFile: 'vitest.mutation-handshake.config.ts' },
  htmlReporter: { fileName: 'reports/mutation/handshake/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/handshake/mutation.json' },
  incrementalFile: 'reports/mutation/handshake/stryker-incremental.json',
};

export default config;
