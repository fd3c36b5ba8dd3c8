import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuiteRuns } from '../support/chromium.js';
import { notAllowedLine } from '../support/expected.js';
import { TICKS } from '../support/graphql-app.js';
import {
  deployGraphql,
  type GraphqlDeployment,
  type PageOutcome,
  SESSION_COOKIE,
} from '../support/graphql-deployment.js';
import { handshakeFailureMessage, refused403Message, useChromium } from './browser-steps.js';

/**
 * Cross-Site WebSocket Hijacking of GraphQL subscriptions, run for real: headless Chromium,
 * a Nest app serving `@nestjs/graphql` subscriptions (Apollo driver, graphql-ws) and its own
 * page, and an attacker page on another port of `localhost` (same-site, so Chromium sends the
 * app's session cookie with the attacker's handshake). The pages speak graphql-transport-ws
 * over the browser's own `WebSocket`. No gateway: importing `OriginGuardModule` is all it takes.
 */

/** A subscription that ran to its end: every tick, `complete`, and a clean close. */
const ALL_TICKS: PageOutcome = {
  received: TICKS,
  completed: true,
  error: false,
  closeCode: 1000,
  wasClean: true,
};

/** A page never sees the status of a refused handshake: an error event, then 1006. */
const REFUSED_IN_PAGE: PageOutcome = {
  received: [],
  completed: false,
  error: true,
  closeCode: 1006,
  wasClean: false,
};

describe.skipIf(!browserSuiteRuns())('a real browser subscribes to GraphQL (graphql-ws)', () => {
  const { deploy, freshContext, client } = useChromium(deployGraphql);

  /** Opens `url` in `page` and waits for its subscription's outcome. */
  async function subscribeFrom(page: Page, url: string): Promise<PageOutcome> {
    await page.goto(url);
    const outcome = await page.waitForFunction('window.subscriptionOutcome');
    return (await outcome.jsonValue()) as PageOutcome;
  }

  /** The victim opens the app's page first: it receives its ticks and gets the cookie. */
  async function victimTab(deployment: GraphqlDeployment): Promise<Page> {
    const tab = await (await freshContext()).newPage();
    expect(await subscribeFrom(tab, `${deployment.appOrigin}/`)).toEqual(ALL_TICKS);
    return tab;
  }

  it("control, no OriginGuardModule: the attacker page's subscription runs with the victim's cookie", async () => {
    const deployment = await deploy({ guarded: false });
    const tab = await victimTab(deployment);

    expect(await subscribeFrom(tab, `${deployment.attackerOrigin}/`)).toEqual(ALL_TICKS);

    expect(deployment.connected).toEqual([
      { origin: deployment.appOrigin, cookie: SESSION_COOKIE },
      { origin: deployment.attackerOrigin, cookie: SESSION_COOKIE },
    ]);
    expect(deployment.probe).toEqual({ connects: 2, subscriptions: 2 });
  });

  it('the page on the allowed origin receives its subscription events', async () => {
    const deployment = await deploy();
    const tab = await victimTab(deployment);

    expect(await tab.locator('#log').textContent()).toBe(TICKS.join(', '));
    expect(deployment.connected).toEqual([
      { origin: deployment.appOrigin, cookie: SESSION_COOKIE },
    ]);
    expect(deployment.probe).toEqual({ connects: 1, subscriptions: 1 });
    expect(deployment.refusals()).toEqual([]);
  });

  it('refuses the attacker page: error and 1006 in the page, 403, one log line, no resolver run', async () => {
    const deployment = await deploy();
    const tab = await victimTab(deployment);
    const browserReport = handshakeFailureMessage(tab);

    expect(await subscribeFrom(tab, `${deployment.attackerOrigin}/`)).toEqual(REFUSED_IN_PAGE);

    expect(await browserReport).toBe(refused403Message(deployment.socketUrl));
    // `*`: no `upgrades` entry names /graphql, so allowedOrigins decided it.
    expect(deployment.refusals()).toEqual([
      notAllowedLine(deployment.attackerOrigin, '*', '(none)', client()),
    ]);
    // Only the victim's own page ever reached graphql-ws and the resolver.
    expect(deployment.connected).toEqual([
      { origin: deployment.appOrigin, cookie: SESSION_COOKIE },
    ]);
    expect(deployment.probe).toEqual({ connects: 1, subscriptions: 1 });
  });
});
