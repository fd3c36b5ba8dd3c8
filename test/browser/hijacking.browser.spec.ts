import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ChatTransport } from '../../demo/chat-endpoint.js';
import type { AttackOutcome } from '../../demo/pages/attack-script.js';
import { ATTACKER_PAGE_PATHS, attackerPage } from '../../demo/pages/attacker-page.js';
import { browserSuiteRuns } from '../support/chromium.js';
import { clientFields } from '../support/expected.js';
import type { DemoDeployment } from '../support/demo-deployment.js';
import {
  ALICE_WHOAMI,
  aliceOpened,
  handshakeFailureMessage,
  openChatAsAlice,
  refused403Message,
  runAttack,
  STOLEN_FROM_ALICE,
  useChromium,
} from './browser-steps.js';

/**
 * Cross-Site WebSocket Hijacking, run for real: headless Chromium, the demo chat app (over
 * `ws` and over Socket.IO) and the demo's attacker page. The attacker's origin is another port
 * of `localhost`, so it is same-site with the app and Chromium attaches the victim's session
 * cookie to its handshake. One browser serves every case; each case gets a fresh context (its
 * own cookie jar) and its own app, so logs and refusal rate limits never carry over.
 */

/** What differs between the two transports; every case below runs over both. */
interface TransportCase {
  readonly transport: ChatTransport;
  /** Nest's own adapter (the vulnerable control) and nestjs-origin-guard's. */
  readonly plainAdapter: string;
  readonly guardedAdapter: string;
  /** The gateway and path that refusal log lines name. */
  readonly gateway: string;
  readonly path: string;
  /** What the attack reports when the guard refuses the handshake. */
  readonly refusedInPage: AttackOutcome;
  /** What it reports when the handshake is accepted but carries no session. */
  readonly closedWithoutSession: AttackOutcome;
  /** The socket URL in Chromium's console report of a failed handshake. */
  handshakeUrl(demo: DemoDeployment): string;
}

const TRANSPORTS: TransportCase[] = [
  {
    transport: 'ws',
    plainAdapter: 'WsAdapter',
    guardedAdapter: 'OriginWsAdapter',
    gateway: 'ChatGateway',
    path: '/chat',
    // A page never sees the status of a refused handshake: an error event, then 1006.
    refusedInPage: { refused: true, error: true, closeCode: 1006, wasClean: false },
    closedWithoutSession: { closedBeforeAnswer: true, closeCode: 4401, reason: 'Log in first' },
    handshakeUrl: (demo) => demo.endpoint.url,
  },
  {
    transport: 'socket.io',
    plainAdapter: 'IoAdapter',
    guardedAdapter: 'OriginIoAdapter',
    gateway: 'ChatIoGateway',
    path: '/socket.io/',
    // The client turns the WebSocket's error event into a connect_error.
    refusedInPage: { refused: true, connectError: 'websocket error' },
    closedWithoutSession: { closedBeforeAnswer: true, reason: 'io server disconnect' },
    handshakeUrl: (demo) =>
      `${demo.appOrigin.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`,
  },
];

describe.skipIf(!browserSuiteRuns())('a real browser attacks the demo chat', () => {
  const { deploy, freshContext, client } = useChromium();

  /** A copy of the attacker page saved to disk: opened from `file://`, its origin is `null`. */
  async function savedAttackerPage(demo: DemoDeployment): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'origin-guard-attack-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'attack.html');
    await writeFile(file, attackerPage(demo.endpoint));
    return pathToFileURL(file).href;
  }

  describe.each(TRANSPORTS)('over $transport', (t) => {
    const { transport } = t;

    it(`control, Nest's plain ${t.plainAdapter}: the attacker page on another localhost port reads the victim's private answer`, async () => {
      const demo = await deploy({ transport, guarded: false });
      const tab = await openChatAsAlice(await freshContext(), demo);

      const outcome = await runAttack(tab, demo.attackerOrigin);

      expect(outcome).toEqual(STOLEN_FROM_ALICE);
      expect(demo.gatewayConnections()).toEqual([
        aliceOpened(demo.appOrigin),
        aliceOpened(demo.attackerOrigin),
      ]);
      expect(demo.refusals()).toEqual([]);
    });

    it(`${t.guardedAdapter} serves the chat page on the allowed origin: authenticated answer and chat round trip`, async () => {
      const demo = await deploy({ transport });
      const chat = await openChatAsAlice(await freshContext(), demo);

      await chat.locator('#text').fill('hello from alice');
      await chat.locator('#text').press('Enter');
      await chat.locator('#log p', { hasText: 'alice: hello from alice' }).waitFor();

      expect(await chat.locator('#status').textContent()).toBe(
        'connected (this origin is allowed)',
      );
      expect(await chat.locator('#log p').allTextContents()).toEqual([
        ALICE_WHOAMI,
        'alice: hello from alice',
      ]);
      expect(demo.gatewayConnections()).toEqual([aliceOpened(demo.appOrigin)]);
      expect(demo.refusals()).toEqual([]);
    });

    it(`${t.guardedAdapter} refuses the attacker page: refused in the page, 403, one log line, no connection`, async () => {
      const demo = await deploy({ transport });
      const tab = await openChatAsAlice(await freshContext(), demo);
      const browserReport = handshakeFailureMessage(tab);

      const outcome = await runAttack(tab, demo.attackerOrigin);

      expect(outcome).toEqual(t.refusedInPage);
      expect(await browserReport).toBe(refused403Message(t.handshakeUrl(demo)));
      expect(demo.refusals()).toEqual([
        `Refused WebSocket handshake: reason=not_allowed origin="${demo.attackerOrigin}" ` +
          `path="${t.path}" gateway=${t.gateway}${clientFields(client())}. ` +
          `If this page is yours, add '${demo.attackerOrigin}' to the allowed origins.`,
      ]);
      // Only the victim's own chat tab ever reached the gateway.
      expect(demo.gatewayConnections()).toEqual([aliceOpened(demo.appOrigin)]);
    });

    it(`${t.guardedAdapter} in report-only mode lets the attacker page in and logs that it would refuse it`, async () => {
      const demo = await deploy({ transport, mode: 'report-only' });
      const tab = await openChatAsAlice(await freshContext(), demo);

      const outcome = await runAttack(tab, demo.attackerOrigin);

      // Report-only does not protect: it shows what enforcing would refuse.
      expect(outcome).toEqual(STOLEN_FROM_ALICE);
      expect(demo.wouldRefuse()).toEqual([
        `Would refuse WebSocket handshake (report-only): reason=not_allowed ` +
          `origin="${demo.attackerOrigin}" path="${t.path}" gateway=${t.gateway}${clientFields(client())}. ` +
          `If this page is yours, add '${demo.attackerOrigin}' to the allowed origins.`,
      ]);
      expect(demo.refusals()).toEqual([]);
      expect(demo.gatewayConnections()).toEqual([
        aliceOpened(demo.appOrigin),
        aliceOpened(demo.attackerOrigin),
      ]);
    });

    describe("Origin: null (opaque origins), refused unless 'null' is listed", () => {
      const opaquePages = [
        {
          name: 'a sandboxed iframe in the attacker page',
          url: async (demo: DemoDeployment) =>
            demo.attackerOrigin + ATTACKER_PAGE_PATHS['sandboxed-iframe'],
        },
        { name: 'the attacker page saved as a file:// page', url: savedAttackerPage },
      ];

      describe.each(opaquePages)('from $name', ({ url }) => {
        it('is refused by default: refused in the page, 403, one log line, no connection', async () => {
          const demo = await deploy({ transport });
          const tab = await openChatAsAlice(await freshContext(), demo);
          const browserReport = handshakeFailureMessage(tab);

          const outcome = await runAttack(tab, await url(demo));

          expect(outcome).toEqual(t.refusedInPage);
          expect(await browserReport).toBe(refused403Message(t.handshakeUrl(demo)));
          expect(demo.refusals()).toEqual([
            `Refused WebSocket handshake: reason=null origin="null" path="${t.path}" gateway=${t.gateway}${clientFields(client())}`,
          ]);
          expect(demo.gatewayConnections()).toEqual([aliceOpened(demo.appOrigin)]);
        });

        it("is accepted when 'null' is listed: the gateway runs, and closes the cookieless socket", async () => {
          const demo = await deploy({ transport, extraAllowedOrigins: ['null'] });
          const tab = await openChatAsAlice(await freshContext(), demo);

          const outcome = await runAttack(tab, await url(demo));

          // Chromium sends no cookie from an opaque origin, so the chat's own session check
          // closes the socket; reaching that check is what proves the handshake was accepted.
          expect(outcome).toEqual(t.closedWithoutSession);
          expect(demo.gatewayConnections()).toEqual([
            aliceOpened(demo.appOrigin),
            'Socket opened: origin="null" user=(no session)',
          ]);
          expect(demo.refusals()).toEqual([]);
        });
      });
    });
  });
});
