import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { BootedApp } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest, sidOf } from '../support/http-request.js';
import { rawHandshake } from '../support/net.js';
import { FORBIDDEN_POLLING } from '../support/expected.js';

const ALLOWED = 'https://app.example.com';
const EVIL = 'https://evil.example';
const POLLING = '/socket.io/?EIO=4&transport=polling';
/** An engine.io message packet (4) carrying a Socket.IO CONNECT (0) to the main namespace. */
const CONNECT_PACKET = '40';
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };

/**
 * The usual hand-written defence: an `allowRequest` that checks the Origin. Engine.io only
 * calls it for requests without a `sid`.
 */
function allowRequest(req: IncomingMessage, callback: (err: string | null, ok: boolean) => void) {
  callback(null, req.headers.origin === ALLOWED);
}

const opened: BootedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.app.close()));
});

async function boot(adapter: 'origin' | 'plain', probe: GatewayProbe): Promise<BootedApp> {
  const booted = await bootIoApp({
    adapter,
    gateways: [echoGateway(probe, { options: { allowRequest } })],
  });
  opened.push(booted);
  return booted;
}

/** Opens an engine.io session from the allowed origin, as the victim's page would. */
async function openSession(port: number): Promise<string> {
  const handshake = await httpRequest(port, 'GET', POLLING, { Origin: ALLOWED });
  expect(handshake.statusLine).toBe('HTTP/1.1 200 OK');
  return sidOf(handshake.body);
}

describe('A valid sid reused from another origin', () => {
  it('without the adapter: engine.io skips allowRequest and lets it reach the gateway', async () => {
    const probe = new GatewayProbe();
    const { port } = await boot('plain', probe);
    // allowRequest works for the handshake itself...
    expect((await httpRequest(port, 'GET', POLLING, { Origin: EVIL })).statusLine).toBe(
      'HTTP/1.1 403 Forbidden',
    );
    // ...but not for a request that carries a sid.
    const sid = await openSession(port);
    const post = await httpRequest(
      port,
      'POST',
      `${POLLING}&sid=${sid}`,
      { Origin: EVIL, ...TEXT },
      CONNECT_PACKET,
    );
    expect(post.body).toBe('ok');
    const poll = await httpRequest(port, 'GET', `${POLLING}&sid=${sid}`, { Origin: EVIL });
    expect(poll.body).toMatch(/^40\{"sid":"[\w-]+"\}$/);
    expect(probe.connections).toBe(1);
  });

  describe('with OriginIoAdapter', () => {
    it('refuses a polling POST and GET with an exact 403; the gateway never sees them', async () => {
      const probe = new GatewayProbe();
      const booted = await boot('origin', probe);
      const sid = await openSession(booted.port);
      const url = `${POLLING}&sid=${sid}`;
      expect(
        await httpRequest(booted.port, 'POST', url, { Origin: EVIL, ...TEXT }, CONNECT_PACKET),
      ).toEqual(FORBIDDEN_POLLING);
      expect(await httpRequest(booted.port, 'GET', url, { Origin: EVIL })).toEqual(
        FORBIDDEN_POLLING,
      );
      expect(probe.connections).toBe(0);
      expect(booted.logger.warnings()).toContain(
        `Refused WebSocket handshake: reason=not_allowed origin="${EVIL}" path="/socket.io/" gateway=EchoGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add '${EVIL}' to the allowed origins.`,
      );
      // The control: the sid was valid, and its own origin may use it.
      expect(
        (await httpRequest(booted.port, 'POST', url, { Origin: ALLOWED, ...TEXT }, CONNECT_PACKET))
          .body,
      ).toBe('ok');
      const poll = await httpRequest(booted.port, 'GET', url, { Origin: ALLOWED });
      expect(poll.body).toMatch(/^40\{"sid":"[\w-]+"\}$/);
      expect(probe.connections).toBe(1);
    });

    it('refuses a WebSocket upgrade of that session with an exact 403', async () => {
      const probe = new GatewayProbe();
      const booted = await boot('origin', probe);
      const sid = await openSession(booted.port);
      const path = `/socket.io/?EIO=4&transport=websocket&sid=${sid}`;
      const refused = await rawHandshake(booted.port, path, [['Origin', EVIL]]);
      expect(refused.raw).toBe(
        'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 9\r\n\r\nForbidden',
      );
      const allowed = await rawHandshake(booted.port, path, [['Origin', ALLOWED]]);
      expect(allowed.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
      expect(probe.connections).toBe(0);
    });
  });
});
