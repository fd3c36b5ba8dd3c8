import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import type { AttackOutcome } from '../../demo/pages/attack-script.js';
import { launchChromium } from '../support/chromium.js';
import type { SeenClient } from '../support/expected.js';
import { type DemoDeployment, deployDemo } from '../support/demo-deployment.js';

/** The victim's answer the chat gives a logged-in alice: what an attacker wants to read. */
export const ALICE_WHOAMI = 'Server: you are alice (private inbox of alice)';

/** What an attack reports when it read alice's private answer. */
export const STOLEN_FROM_ALICE = { stolen: { user: 'alice', secret: 'private inbox of alice' } };

/** The chat gateway's log line for a socket that reached it carrying alice's session. */
export function aliceOpened(origin: string): string {
  return `Socket opened: origin="${origin}" user="alice"`;
}

/** What a suite deploys for each case: the demo by default. */
type Deploy = (...args: never[]) => Promise<{ close(): Promise<void> }>;

/** Plain functions, not methods: they use no `this`, so a suite may destructure them. */
export interface BrowserSuite<D extends Deploy = typeof deployDemo> {
  /** A deployment (the demo, unless `useChromium` was given another) that closes when the case ends. */
  readonly deploy: (...args: Parameters<D>) => ReturnType<D>;
  /** A browser context (its own cookie jar) that closes when the case ends. */
  readonly freshContext: () => Promise<BrowserContext>;
  /** Chromium as the server's log lines name it: its address and its User-Agent. */
  readonly client: () => SeenClient;
}

/**
 * Call in a `describe`: one Chromium serves all of its cases; each case gets a fresh context
 * and its own app (`deployApp`, the demo by default), so logs and refusal rate limits never
 * carry over.
 */
export function useChromium(): BrowserSuite;
export function useChromium<D extends Deploy>(deployApp: D): BrowserSuite<D>;
export function useChromium(deployApp: Deploy = deployDemo): BrowserSuite<Deploy> {
  let browser: Browser | undefined;
  let userAgent: string | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    // Evaluated in the page: `navigator` is the browser's, not a Node global.
    userAgent = await page.evaluate('navigator.userAgent');
    await page.close();
  });
  afterAll(() => browser?.close());
  return {
    async deploy(...args) {
      const deployment = await deployApp(...args);
      onTestFinished(() => deployment.close());
      return deployment;
    },
    async freshContext() {
      if (browser === undefined) throw new Error('useChromium(): the browser is not launched');
      const context = await browser.newContext();
      onTestFinished(() => context.close());
      return context;
    },
    client: () => ({ remoteAddress: '127.0.0.1', userAgent }),
  };
}

/**
 * Logs the victim in the way a person does: the chat's login sets the `demo_session` cookie
 * for `localhost:<appPort>` and redirects to the chat page, which opens its socket and shows
 * the authenticated answer. Returns that tab, still on the chat page.
 */
export async function openChatAsAlice(
  context: BrowserContext,
  demo: DemoDeployment,
): Promise<Page> {
  const chat = await context.newPage();
  await chat.goto(`${demo.appOrigin}/login?name=alice`);
  await chat.locator('#log p', { hasText: ALICE_WHOAMI }).waitFor();
  return chat;
}

/**
 * Points `page` at the attacker page at `url`, as a victim who browses from the chat to
 * another site, and waits for the attack script to report its outcome.
 */
export async function runAttack(page: Page, url: string): Promise<AttackOutcome> {
  await page.goto(url);
  const outcome = await page.waitForFunction('window.attackOutcome');
  return (await outcome.jsonValue()) as AttackOutcome;
}

/**
 * Resolves with Chromium's own console report of a failed WebSocket handshake. Pages never
 * see the HTTP status; this message does, so it shows the refusal was the guard's 403 and
 * not a network failure. Call it before the page connects.
 */
export function handshakeFailureMessage(page: Page): Promise<string> {
  const message = page
    .waitForEvent('console', {
      predicate: (entry) => entry.text().startsWith('WebSocket connection to '),
    })
    .then((entry) => entry.text());
  // A case that fails before awaiting this closes the page, which rejects the wait: that
  // must not surface as a second, unhandled error. Awaiting it still sees the rejection.
  message.catch(() => undefined);
  return message;
}

export function refused403Message(socketUrl: string): string {
  return `WebSocket connection to '${socketUrl}' failed: Error during WebSocket handshake: Unexpected response code: 403`;
}
