import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Nest resolves constructor dependencies from `design:paramtypes`; without this metadata
  // injection by type silently yields `undefined`.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    // Builds dist/ when it is stale: the probe's CLI specs spawn the real bin, dist/cli.js.
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
