import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatTransport } from '../../demo/chat-endpoint.js';
import { ATTACKER_PAGE_PATHS } from '../../demo/pages/attacker-page.js';
import { browserSuiteRuns } from '../support/chromium.js';
import type { DemoDeployment } from '../support/demo-deployment.js';
import { type DemoProcess, startDemoProcess } from '../support/demo-process.js';
import { freePort } from '../support/net.js';
import { ALICE_WHOAMI, runAttack, STOLEN_FROM_ALICE, useChromium } from './browser-steps.js';

/**
 * `npm start` as a person uses it: the guarded chat and the unguarded control side by side,
 * a console that says which is which, and pages that make the browser ask for nothing the
 * servers do not have (no favicon 404s).
 */

const running: DemoProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((demo) => demo.stop()));
});

/** A page that declares no icon, on a server of its own: Chromium asks it for /favicon.ico. */
async function iconlessSite(): Promise<{ url: string; asked: Promise<void>; server: Server }> {
  let asked!: () => void;
  const askedForIcon = new Promise<void>((resolve) => (asked = resolve));
  const server = createServer((request, response) => {
    if (request.url === '/favicon.ico') asked();
    response.writeHead(request.url === '/' ? 200 : 404, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>no icon</title><p>no icon declared');
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, asked: askedForIcon, server };
}

/** Loads an icon-less page in `tab` and waits until Chromium has asked it for its favicon. */
async function waitForFaviconFetching(tab: Page): Promise<void> {
  const site = await iconlessSite();
  try {
    await tab.goto(site.url);
    await site.asked;
  } finally {
    site.server.closeAllConnections();
    await new Promise((resolve) => site.server.close(resolve));
  }
}

describe.skipIf(!browserSuiteRuns())('the demo, in a real browser', () => {
  const { deploy, freshContext } = useChromium();

  it('npm start runs the guarded chat and the unguarded control side by side, and says which is which', async () => {
    const [app, attacker, control, controlAttacker] = await Promise.all(
      [0, 1, 2, 3].map(() => freePort()),
    );
    const demo = startDemoProcess({
      DEMO_PORT: String(app),
      ATTACKER_PORT: String(attacker),
      CONTROL_PORT: String(control),
      CONTROL_ATTACKER_PORT: String(controlAttacker),
    });
    running.push(demo);
    await demo.waitFor('Stop with Ctrl+C.');
    const output = demo.output();
    expect(output).toContain(
      `[OriginGuard] ChatGateway: ws on port ${app} (the app's HTTP server), path "/chat", enforced by OriginWsAdapter: ` +
        `mode=enforce, missing Origin allowed, null refused, 2 entries: 'http://localhost:${app}' (exact), 'http://127.0.0.1:${app}' (exact)`,
    );
    // Only the guarded chat is enforced: the control has no summary line.
    expect(output).not.toContain(`on port ${control}`);
    expect(output).toContain(
      'nestjs-origin-guard demo, chat over ws: the guarded chat and an unguarded control, side by side.',
    );
    expect(output).toMatch(
      new RegExp(
        `GUARDED by nestjs-origin-guard \\(OriginWsAdapter\\):\\n    http://localhost:${app} +the chat`,
      ),
    );
    expect(output).toMatch(
      new RegExp(
        `UNGUARDED CONTROL, Nest's plain WsAdapter \\(no origin check: the hole\\):\\n    http://localhost:${control} +the same chat, unprotected`,
      ),
    );

    // One login, both attacks: the guarded chat refuses, the control gives the inbox away.
    const context = await freshContext();
    const chat = await context.newPage();
    await chat.goto(`http://localhost:${app}/login?name=alice`);
    await chat.locator('#log p', { hasText: ALICE_WHOAMI }).waitFor();
    const tab = await context.newPage();
    expect(await runAttack(tab, `http://localhost:${attacker}/`)).toMatchObject({ refused: true });
    expect(await runAttack(tab, `http://localhost:${controlAttacker}/`)).toEqual(STOLEN_FROM_ALICE);
    await demo.waitFor(
      `[ChatGateway (UNGUARDED control)] Socket opened: origin="http://localhost:${controlAttacker}" user="alice"`,
    );
    expect(demo.output()).toContain(
      `Refused WebSocket handshake: reason=not_allowed origin="http://localhost:${attacker}" path="/chat" gateway=ChatGateway`,
    );
    expect(await chat.title()).toBe('Origin-guarded chat');
    await chat.goto(`http://localhost:${control}/`);
    expect(await chat.locator('h1').textContent()).toBe(
      "Chat (UNGUARDED control: Nest's plain adapter, no origin check)",
    );
  });

  describe.each<ChatTransport>(['ws', 'socket.io'])('over %s', (transport) => {
    async function visitEveryPage(tab: Page, demo: DemoDeployment): Promise<void> {
      await tab.goto(demo.appOrigin);
      await tab.goto(`${demo.appOrigin}/login?name=alice`);
      await tab.locator('#log p', { hasText: ALICE_WHOAMI }).waitFor();
      for (const [launch, path] of Object.entries(ATTACKER_PAGE_PATHS)) {
        if (launch === 'jsonp' && transport !== 'socket.io') continue;
        await runAttack(tab, demo.attackerOrigin + path);
      }
    }

    it('no page makes the browser ask for a favicon, so no server answers a 404', async () => {
      const tab = await (await freshContext()).newPage();
      // This Chromium does ask pages without an icon for /favicon.ico: the check can fail.
      await waitForFaviconFetching(tab);
      for (const guarded of [true, false]) {
        const demo = await deploy({ transport, guarded });
        await visitEveryPage(tab, demo);
        // An icon request a page made would have left by now: the next page's has arrived.
        await waitForFaviconFetching(tab);
        const requests = demo.requests();
        expect(requests.filter((line) => / \/favicon\.ico /.test(line))).toEqual([]);
        expect(requests.filter((line) => line.endsWith(' 404'))).toEqual([]);
        expect(requests).toContain('app GET / 200');
      }
    });
  });
});
