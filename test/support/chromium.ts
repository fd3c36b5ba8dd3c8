import { type Browser, chromium } from 'playwright-core';
import { isExecutable, type OptionalTool, suiteRuns, toolMissing } from './optional-tool.js';

/** Debian's `chromium` package, or the browser named by `CHROMIUM_PATH`. Never a download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * `--no-sandbox`: CI containers run as root without `chromium-sandbox`. The rest keep the
 * browser from talking to anything but the test servers (updates, sync, field trials), and
 * QUIC off keeps every connection on the TCP path the servers listen on. `--headless` is added
 * by `headless: true`; Playwright gives each launch a fresh temporary user-data dir (it
 * refuses a `--user-data-dir` argument) and deletes it on close.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_INSTALL_HINT = 'apt-get install -y chromium';

const CHROMIUM: OptionalTool = {
  suite: 'browser',
  missing: `Chromium not found at ${CHROMIUM_PATH}`,
  install: CHROMIUM_INSTALL_HINT,
  pathVariable: 'CHROMIUM_PATH',
};

/** Whether the browser suite runs (see `suiteRuns`). */
export function browserSuiteRuns(): boolean {
  return suiteRuns(isExecutable(CHROMIUM_PATH), CHROMIUM);
}

export async function launchChromium(): Promise<Browser> {
  if (!isExecutable(CHROMIUM_PATH)) throw toolMissing(CHROMIUM);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}
