import { accessSync, constants } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

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

function chromiumInstalled(): boolean {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the browser suite runs. On a developer machine without Chromium it is skipped, with
 * one console line saying how to enable it. Under `CI=true` it always runs, so a missing
 * browser fails the run (in `launchChromium`) instead of passing with nothing tested.
 */
export function browserSuiteRuns(): boolean {
  if (chromiumInstalled() || process.env.CI === 'true') return true;
  console.warn(
    `browser suite skipped: Chromium not found at ${CHROMIUM_PATH} ` +
      `(install: ${CHROMIUM_INSTALL_HINT}, or set CHROMIUM_PATH)`,
  );
  return false;
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled()) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}, and CI=true requires the browser suite to run ` +
        `(install: ${CHROMIUM_INSTALL_HINT}, or set CHROMIUM_PATH).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}
