import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ATTACKER_PAGE_PATHS } from '../../demo/pages/attacker-page.js';
import { browserSuiteRuns } from '../support/chromium.js';
import { clientFields } from '../support/expected.js';
import type { DemoDeployment, DemoDeploymentOptions } from '../support/demo-deployment.js';
import {
  aliceOpened,
  openChatAsAlice,
  runAttack,
  STOLEN_FROM_ALICE,
  useChromium,
} from './browser-steps.js';

/**
 * The Socket.IO chat attacked with no socket at all: the demo's JSONP attacker page loads
 * engine.io's polling handshake as a `<script>` (`?EIO=4&transport=polling&j=0`). Chromium
 * sends that no-cors GET with alice's cookie (the attacker is another port of `localhost`:
 * same site) and without `Origin`; engine.io answers with script that hands the page the
 * session id, and the attacker's own server drives the session from there, with neither cookie
 * nor `Origin`. The gateway authenticated the session from the script GET, so it answers
 * with alice's private data.
 */

/** What the page's `<script>` handshake looked like on the wire, as Chromium reports it. */
interface ScriptHandshake {
  readonly status: number;
  readonly headers: Record<string, string>;
}

/** Resolves with the attacker page's JSONP handshake request. Call it before the attack. */
function scriptHandshake(page: Page, demo: DemoDeployment): Promise<ScriptHandshake> {
  const url = `${demo.appOrigin}/socket.io/?EIO=4&transport=polling&j=0`;
  const handshake = page
    .waitForResponse((response) => response.url() === url)
    .then(async (response) => ({
      status: response.status(),
      headers: await response.request().allHeaders(),
    }));
  // As in handshakeFailureMessage: a case that fails first must not add an unhandled error.
  handshake.catch(() => undefined);
  return handshake;
}

/** The gateway's line for a socket whose handshake had alice's cookie and no `Origin`. */
const ALICE_OPENED_WITHOUT_ORIGIN = 'Socket opened: origin=(none) user="alice"';

describe.skipIf(!browserSuiteRuns())('a real browser hijacks the Socket.IO chat via JSONP', () => {
  const { deploy, freshContext, client } = useChromium();

  async function attackWithJsonp(demo: DemoDeployment) {
    const tab = await openChatAsAlice(await freshContext(), demo);
    const handshake = scriptHandshake(tab, demo);
    const outcome = await runAttack(tab, demo.attackerOrigin + ATTACKER_PAGE_PATHS.jsonp);
    return { outcome, handshake: await handshake };
  }

  it("control, Nest's plain IoAdapter: the <script> handshake leaks the session id, and the attacker's server reads the victim's private answer", async () => {
    const demo = await deploy({ transport: 'socket.io', guarded: false });

    const { outcome, handshake } = await attackWithJsonp(demo);

    expect(outcome).toEqual(STOLEN_FROM_ALICE);
    expect(handshake.status).toBe(200);
    // The premise: a no-cors GET with the victim's cookie and no Origin.
    expect(handshake.headers).not.toHaveProperty('origin');
    expect(handshake.headers.cookie).toMatch(/^demo_session=/);
    expect(handshake.headers).toMatchObject({
      'sec-fetch-site': 'same-site',
      'sec-fetch-mode': 'no-cors',
      'sec-fetch-dest': 'script',
    });
    expect(demo.gatewayConnections()).toEqual([
      aliceOpened(demo.appOrigin),
      ALICE_OPENED_WITHOUT_ORIGIN,
    ]);
    expect(demo.refusals()).toEqual([]);
  });

  /** The guarded outcome: the `<script>` got a 403, so no session id and no connection. */
  async function expectScriptRefused(options: DemoDeploymentOptions, refusal: string) {
    const demo = await deploy({ transport: 'socket.io', ...options });

    const { outcome, handshake } = await attackWithJsonp(demo);

    expect(outcome).toEqual({ refused: true, scriptError: true });
    expect(handshake.status).toBe(403);
    expect(demo.refusals()).toEqual([refusal]);
    // Only the victim's own chat tab ever reached the gateway.
    expect(demo.gatewayConnections()).toEqual([aliceOpened(demo.appOrigin)]);
  }

  it('OriginIoAdapter refuses JSONP polling by default: the script fails to load (403), one log line, no connection', () =>
    expectScriptRefused(
      {},
      'Refused WebSocket handshake: reason=jsonp origin=(none) path="/socket.io/" gateway=ChatIoGateway' +
        clientFields(client()) +
        '. ' +
        'JSONP polling (a j= query parameter) lets a <script> tag on any site use the session; ' +
        'set allowJsonpPolling: true only if legacy clients need it.',
    ));

  it("OriginIoAdapter with allowJsonpPolling: true still refuses the attacker's <script> by its Fetch Metadata: 403, one log line, no connection", () =>
    expectScriptRefused(
      { allowJsonpPolling: true },
      'Refused WebSocket handshake: reason=browser_without_origin origin=(none) ' +
        'detail="Sec-Fetch-Site: same-site, Sec-Fetch-Mode: no-cors" path="/socket.io/" gateway=ChatIoGateway' +
        clientFields(client()) +
        '. ' +
        'A browser sent this request without Origin (a <script>, <img> or navigation); ' +
        'no allowMissingOrigin setting accepts it.',
    ));
});
