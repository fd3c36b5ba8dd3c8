import { defineConfig } from 'vitest/config';
import unit from './vitest.mutation.config.js';

/**
 * The vitest config of the handshake mutation run (stryker.handshake.config.mjs): the unit
 * specs plus the e2e specs that drive the handshake decision paths (the app-wide upgrade gate, the ws and Socket.IO checks,
 * CONNECT carriers, engine.io 3 clients, JSONP, report-only). The browser, package and memory
 * suites and the other e2e specs are left out: they add minutes to every mutant's run and check
 * nothing in the mutated files that these do not.
 */
export default defineConfig({
  ...unit,
  test: {
    ...unit.test,
    include: [
      'src/**/*.spec.ts',
      'test/ws/ws-handshake.e2e.spec.ts',
      'test/ws/ws-accepted-route.e2e.spec.ts',
      'test/ws/ws-message-dispatch.e2e.spec.ts',
      'test/socket-io/io-message-dispatch.e2e.spec.ts',
      'test/socket-io/io-handshake.e2e.spec.ts',
      'test/socket-io/io-handshake-query.e2e.spec.ts',
      'test/socket-io/io-predicate-own-port.e2e.spec.ts',
      'test/socket-io/io-connect-carrier.e2e.spec.ts',
      'test/socket-io/io-eio3.e2e.spec.ts',
      'test/socket-io/io-eio3-namespace-names.e2e.spec.ts',
      'test/socket-io/io-origin-less.e2e.spec.ts',
      'test/socket-io/io-report-only.e2e.spec.ts',
      'test/socket-io/io-report-only-union.e2e.spec.ts',
      'test/module/policy-features.e2e.spec.ts',
      'test/module/upgrade-gate.e2e.spec.ts',
      'test/module/upgrade-gate-routing.e2e.spec.ts',
    ],
  },
});
