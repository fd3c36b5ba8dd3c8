import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type BootedApp, bootForSuite } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest, sidOf } from '../support/http-request.js';

/**
 * Socket.IO reads the namespace of an EIO3 CONNECT with `new URL(nsp, "https://socket.io")
 * .pathname` (socket.io/dist/client.js, `_parseNamespace`), which resolves dot segments
 * (`/x/..`, `/%2e`) and turns a backslash into a slash (`/\\evil` is a host, path `/`): all of
 * them join the main namespace. The carrier of such a CONNECT must still be the request that
 * sent it, not the session's handshake.
 *
 * The main namespace allows only A; `/wide` allows A and B, so the engine lets B's requests
 * through. A's page opens an EIO3 session (its auto-connect to `/` is accepted); B, holding
 * that sid, makes the session leave `/` and CONNECTs to it again under another spelling.
 */
const A = 'https://a.example';
const B = 'https://b.example';
const POLLING = '/socket.io/?EIO=3&transport=polling';
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };

function framed(packet: string): string {
  return `${packet.length}:${packet}`;
}

describe('OriginIoAdapter with allowEIO3: CONNECT names Socket.IO normalizes to /', () => {
  const main = new GatewayProbe();
  const wide = new GatewayProbe();
  let booted: BootedApp;

  beforeAll(async () => {
    booted = await bootIoApp({
      options: { allowedOrigins: ['https://app.example.com'] },
      gateways: [
        echoGateway(main, {
          name: 'MainGateway',
          options: { allowEIO3: true },
          allowedOrigins: [A],
        }),
        echoGateway(wide, {
          name: 'WideGateway',
          options: { allowEIO3: true, namespace: '/wide' },
          allowedOrigins: [A, B],
        }),
      ],
    });
  });
  afterAll(() => booted.app.close());

  it.each([['40'], ['40/%2e,'], ['40/x/..,'], ['40/\\\\evil,']])(
    "refuses %s POSTed from B over A's session",
    async (connect) => {
      const start = main.connections;
      const handshake = await httpRequest(booted.port, 'GET', POLLING, { Origin: A });
      const sid = sidOf(handshake.body.slice(handshake.body.indexOf(':') + 1));
      const url = `${POLLING}&sid=${sid}`;
      const post = (packet: string) =>
        httpRequest(booted.port, 'POST', url, { Origin: B, ...TEXT }, framed(packet));
      expect((await httpRequest(booted.port, 'GET', url, { Origin: A })).body).toBe('2:40');
      await vi.waitFor(() => expect(main.connections).toBe(start + 1));

      expect((await post('41')).body).toBe('ok');
      expect((await post(connect)).body).toBe('ok');
      const poll = await httpRequest(booted.port, 'GET', url, { Origin: B });
      expect(poll.body).toBe('22:44"Origin not allowed"');
      expect(main.connections).toBe(start + 1);
    },
  );
});

describe('OriginIoAdapter with allowEIO3: a CONNECT name the URL parser rejects', () => {
  const booted = bootForSuite(() =>
    bootIoApp({
      options: { allowedOrigins: [A] },
      gateways: [echoGateway(new GatewayProbe(), { options: { allowEIO3: true } })],
    }),
  );

  it('keeps the server answering', async () => {
    const handshake = await httpRequest(booted.port, 'GET', POLLING, { Origin: A });
    const sid = sidOf(handshake.body.slice(handshake.body.indexOf(':') + 1));
    const url = `${POLLING}&sid=${sid}`;
    await httpRequest(booted.port, 'POST', url, { Origin: A, ...TEXT }, framed('40//,'));
    const again = await httpRequest(booted.port, 'GET', POLLING, { Origin: A });
    expect(again.statusLine).toBe('HTTP/1.1 200 OK');
  });
});
