import { ensureBuilt } from './dist-build.js';

/**
 * Once per run, before any spec file: the specs that spawn the bin (`dist/cli.js`) or load
 * the built entry points need a current dist/. Building here, not in each spec, means two
 * workers never rebuild it at the same time.
 */
export default function setup(): void {
  ensureBuilt();
}
