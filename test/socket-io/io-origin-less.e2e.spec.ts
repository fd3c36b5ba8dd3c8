import { afterEach, describe, expect, it } from 'vitest';
import type { OriginGuardModuleOptions } from '../../src/index.js';
import type { BootedApp } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import {
  browserWithoutOriginLine,
  FORBIDDEN_POLLING,
  FORBIDDEN_UPGRADE,
  jsonpLine,
} from '../support/expected.js';
import { httpRequest, sidOf } from '../support/http-request.js';
import { rawHandshake } from '../support/net.js';

/**
 * Requests a browser sends without `Origin` (issue #10): a `<script src>` or `<img src>` on any
 * page is a no-cors GET, which carries the user's cookies and no Origin. JSONP polling turns
 * such a GET into a readable session; Fetch Metadata gives the others away.
 */

const ALLOWED = 'https://app.example.com';
const POLLING = '/socket.io/?EIO=4&transport=polling';
const JSONP = `${POLLING}&j=0`;
const COOKIE = { Cookie: 'session=alice' };
/** What Chromium sends on a `<script src>` to a same-site, potentially trustworthy URL. */
const SCRIPT_TAG = {
  'Sec-Fetch-Site': 'same-site',
  'Sec-Fetch-Mode': 'no-cors',
  'Sec-Fetch-Dest': 'script',
};
const CROSS_SITE = { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors' };
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };

const opened: BootedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.app.close()));
});

async function boot(
  probe: GatewayProbe,
  options: Partial<OriginGuardModuleOptions> = {},
): Promise<BootedApp> {
  const booted = await bootIoApp({
    gateways: [echoGateway(probe)],
    options: { allowedOrigins: [ALLOWED], ...options },
  });
  opened.push(booted);
  return booted;
}

/** A session opened by the allowed page, as the victim's own chat would. */
async function allowedSession(port: number): Promise<string> {
  const handshake = await httpRequest(port, 'GET', POLLING, { Origin: ALLOWED, ...COOKIE });
  expect(handshake.statusLine).toBe('HTTP/1.1 200 OK');
  return sidOf(handshake.body);
}

describe('JSONP polling', () => {
  it('is refused on a handshake with cookies and no Origin: exact 403, one log line, no gateway code', async () => {
    const probe = new GatewayProbe();
    const { port, logger } = await boot(probe);

    expect(await httpRequest(port, 'GET', JSONP, COOKIE)).toEqual(FORBIDDEN_POLLING);
    expect(logger.warnings()).toEqual([jsonpLine('/socket.io/', 'EchoGateway')]);
    expect(probe.connections).toBe(0);
  });

  it('is refused with an allowed Origin too, and on a poll and a POST that carry a valid sid', async () => {
    const probe = new GatewayProbe();
    const { port, logger } = await boot(probe);
    const sid = await allowedSession(port);

    expect(await httpRequest(port, 'GET', JSONP, { Origin: ALLOWED })).toEqual(FORBIDDEN_POLLING);
    expect(await httpRequest(port, 'GET', `${JSONP}&sid=${sid}`, COOKIE)).toEqual(
      FORBIDDEN_POLLING,
    );
    const post = await httpRequest(
      port,
      'POST',
      `${JSONP}&sid=${sid}`,
      { ...COOKIE, 'Content-Type': 'application/x-www-form-urlencoded' },
      'd=40',
    );
    expect(post).toEqual(FORBIDDEN_POLLING);
    expect(probe.connections).toBe(0);
    expect(logger.warnings()).toEqual([
      jsonpLine('/socket.io/', 'EchoGateway', `"${ALLOWED}"`),
      jsonpLine('/socket.io/', 'EchoGateway'),
    ]);
  });

  it('finds j however the query spells it (%6A is j to engine.io)', async () => {
    const { port } = await boot(new GatewayProbe());
    expect(await httpRequest(port, 'GET', `${POLLING}&%6A=0`, COOKIE)).toEqual(FORBIDDEN_POLLING);
    expect(await httpRequest(port, 'GET', `${POLLING}&j=`, COOKIE)).toEqual(FORBIDDEN_POLLING);
  });

  it('with allowJsonpPolling: true, serves a native client and warns at startup; a browser tag is still refused', async () => {
    const probe = new GatewayProbe();
    const { port, logger } = await boot(probe, { allowJsonpPolling: true });
    expect(logger.warnings()).toEqual([
      "allowJsonpPolling: true serves engine.io JSONP polling: a <script> tag on any site can open a Socket.IO session with the user's cookies and no Origin. Fetch Metadata still refuses modern browsers over https and localhost; over plain http nothing does. Remove it unless legacy clients need JSONP.",
    ]);

    const served = await httpRequest(port, 'GET', JSONP, {});
    expect(served.statusLine).toBe('HTTP/1.1 200 OK');
    expect(served.body).toMatch(/^___eio\[0\]\("0\{\\"sid\\":\\"[\w-]+\\"/);

    expect(await httpRequest(port, 'GET', JSONP, { ...COOKIE, ...SCRIPT_TAG })).toEqual(
      FORBIDDEN_POLLING,
    );
    expect(logger.warnings().slice(1)).toEqual([
      browserWithoutOriginLine(
        'Sec-Fetch-Site: same-site, Sec-Fetch-Mode: no-cors',
        '/socket.io/',
        'EchoGateway',
      ),
    ]);
  });

  it('in report-only mode is served and logged as "would refuse"', async () => {
    const { port, logger } = await boot(new GatewayProbe(), { mode: 'report-only' });
    const served = await httpRequest(port, 'GET', JSONP, COOKIE);
    expect(served.statusLine).toBe('HTTP/1.1 200 OK');
    expect(logger.warnings().filter((l) => l.startsWith('Would refuse'))).toEqual([
      jsonpLine('/socket.io/', 'EchoGateway').replace(
        'Refused WebSocket handshake:',
        'Would refuse WebSocket handshake (report-only):',
      ),
    ]);
  });

  it('fails at bootstrap when allowJsonpPolling is not a boolean', async () => {
    await expect(
      bootIoApp({
        gateways: [echoGateway(new GatewayProbe())],
        options: { allowedOrigins: [ALLOWED], allowJsonpPolling: 'yes' as unknown as boolean },
      }),
    ).rejects.toThrow(
      'OriginGuardModule: invalid origin policy (1 problem):\n' +
        '  - allowJsonpPolling = "yes": is not a boolean. Fix: use false (refuse JSONP polling, the default) or true (serve it to legacy clients).',
    );
  });
});

describe('Fetch Metadata without Origin', () => {
  it('refuses a polling handshake, a poll and a POST with a sid, whatever allowMissingOrigin says', async () => {
    const probe = new GatewayProbe();
    const { port, logger } = await boot(probe, { allowMissingOrigin: true });
    const sid = await allowedSession(port);

    expect(await httpRequest(port, 'GET', POLLING, { ...COOKIE, ...CROSS_SITE })).toEqual(
      FORBIDDEN_POLLING,
    );
    expect(
      await httpRequest(port, 'GET', `${POLLING}&sid=${sid}`, { ...COOKIE, ...SCRIPT_TAG }),
    ).toEqual(FORBIDDEN_POLLING);
    expect(
      await httpRequest(
        port,
        'POST',
        `${POLLING}&sid=${sid}`,
        { ...COOKIE, ...TEXT, 'Sec-Fetch-Site': 'cross-site' },
        '40',
      ),
    ).toEqual(FORBIDDEN_POLLING);
    expect(probe.connections).toBe(0);
    const path = '/socket.io/';
    expect(logger.warnings()).toEqual([
      browserWithoutOriginLine(
        'Sec-Fetch-Site: cross-site, Sec-Fetch-Mode: cors',
        path,
        'EchoGateway',
      ),
      browserWithoutOriginLine(
        'Sec-Fetch-Site: same-site, Sec-Fetch-Mode: no-cors',
        path,
        'EchoGateway',
      ),
      browserWithoutOriginLine('Sec-Fetch-Site: cross-site', path, 'EchoGateway'),
    ]);
  });

  it('refuses a WebSocket upgrade, with and without a sid', async () => {
    const probe = new GatewayProbe();
    const { port } = await boot(probe);
    const sid = await allowedSession(port);
    const headers: [string, string][] = [
      ['Cookie', 'session=alice'],
      ['Sec-Fetch-Site', 'cross-site'],
      ['Sec-Fetch-Mode', 'websocket'],
    ];
    expect((await rawHandshake(port, '/socket.io/?EIO=4&transport=websocket', headers)).raw).toBe(
      FORBIDDEN_UPGRADE,
    );
    expect(
      (await rawHandshake(port, `/socket.io/?EIO=4&transport=websocket&sid=${sid}`, headers)).raw,
    ).toBe(FORBIDDEN_UPGRADE);
    expect(probe.connections).toBe(0);
  });

  it('lets a native client (no Origin, no Fetch Metadata) through under the default', async () => {
    const probe = new GatewayProbe();
    const { port } = await boot(probe);
    const handshake = await httpRequest(port, 'GET', POLLING, COOKIE);
    expect(handshake.statusLine).toBe('HTTP/1.1 200 OK');
    const sid = sidOf(handshake.body);
    const post = await httpRequest(port, 'POST', `${POLLING}&sid=${sid}`, TEXT, '40');
    expect(post.body).toBe('ok');
    const upgrade = await rawHandshake(port, '/socket.io/?EIO=4&transport=websocket', []);
    expect(upgrade.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it("lets the app's own page poll: a same-origin XHR GET carries no Origin", async () => {
    const { port } = await boot(new GatewayProbe());
    const poll = await httpRequest(port, 'GET', POLLING, {
      ...COOKIE,
      'Sec-Fetch-Site': 'same-origin',
      'Sec-Fetch-Mode': 'cors',
      'Sec-Fetch-Dest': 'empty',
    });
    expect(poll.statusLine).toBe('HTTP/1.1 200 OK');
  });
});
