import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The vitest config of the policy mutation run (stryker.config.mjs): the unit specs under
 * `src/` only. The e2e specs exercise the policy on every handshake, so letting them cover the
 * policy's mutants would boot Nest apps for each of them: hours instead of minutes.
 *
 * Property tests run at most PROPERTY_RUNS times, with a fixed seed
 * (test/support/property-runs.ts), to keep each mutant's run short.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['src/**/*.spec.ts'],
    reporters: ['default'],
    // The global setup builds dist/ for the specs that spawn the CLI; none of these does.
    globalSetup: [],
    env: { PROPERTY_RUNS: '300' },
  },
});
