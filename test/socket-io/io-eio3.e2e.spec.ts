import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BootedApp } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest, sidOf } from '../support/http-request.js';
import { rawHandshake } from '../support/net.js';
import { openFrameClient } from '../support/ws-frames.js';
import { FORBIDDEN_POLLING, FORBIDDEN_UPGRADE } from '../support/expected.js';

/**
 * Socket.IO v2 clients (engine.io protocol 3), served with `allowEIO3: true`. What differs
 * from EIO4 here: polling payloads are framed `<length>:<packet>`; Socket.IO connects the
 * client to the main namespace on the handshake itself, without a CONNECT packet; the CONNECT
 * acknowledgement carries no `sid` (`40`, `40/wide,`); and a `connect_error` carries the bare
 * message as a JSON string (`44"Origin not allowed"`), not an object.
 */

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const A = 'https://a.example';
const B = 'https://b.example';
const POLLING = '/socket.io/?EIO=3&transport=polling';
const WEBSOCKET = '/socket.io/?EIO=3&transport=websocket';
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };

/** The open packet of an EIO3 session, as engine.io 6 writes it (`upgrades` over polling). */
const OPEN_PACKET =
  /^0\{"sid":"[\w-]+","upgrades":\[(?:"websocket")?\],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000\}$/;
/** The auto-connect to the main namespace, acknowledged: one packet, `40`, framed. */
const MAIN_CONNECTED = '2:40';
/** The main namespace's refusal of the auto-connect: CONNECT_ERROR (4) with the message. */
const MAIN_REFUSED_PACKET = '44"Origin not allowed"';
const MAIN_REFUSED = `22:${MAIN_REFUSED_PACKET}`;

/** Frames one EIO3 polling packet: `<length in characters>:<packet>`. */
function framed(packet: string): string {
  return `${packet.length}:${packet}`;
}

/** Reads the one packet of an EIO3 polling payload, checking its length prefix. */
function onlyPacket(body: string): string {
  const colon = body.indexOf(':');
  const packet = body.slice(colon + 1);
  expect(body.slice(0, colon)).toBe(String(packet.length));
  return packet;
}

describe('OriginIoAdapter with allowEIO3: one gateway on the main namespace', () => {
  const probe = new GatewayProbe();
  let booted: BootedApp;

  beforeAll(async () => {
    booted = await bootIoApp({
      options: { allowedOrigins: [APP] },
      gateways: [echoGateway(probe, { options: { allowEIO3: true } })],
    });
  });
  afterAll(() => booted.app.close());

  const get = (path: string, headers: Record<string, string>) =>
    httpRequest(booted.port, 'GET', path, headers);

  /** Opens an EIO3 polling session and reads its first poll: the auto-connect's answer. */
  async function session(headers: Record<string, string>) {
    const handshake = await get(POLLING, headers);
    expect(handshake.statusLine).toBe('HTTP/1.1 200 OK');
    expect(onlyPacket(handshake.body)).toMatch(OPEN_PACKET);
    const sid = sidOf(onlyPacket(handshake.body));
    const poll = await get(`${POLLING}&sid=${sid}`, headers);
    return { sid, poll };
  }

  it('accepts a polling handshake from an allowed origin and connects the main namespace', async () => {
    const before = probe.connections;
    const { poll } = await session({ Origin: APP });
    expect(poll.statusLine).toBe('HTTP/1.1 200 OK');
    // No CONNECT was sent: Socket.IO joined `/` on the handshake, and acknowledges it.
    expect(poll.body).toBe(MAIN_CONNECTED);
    await vi.waitFor(() => expect(probe.connections).toBe(before + 1));
  });

  it('refuses a polling handshake from another origin with an exact 403; no gateway code runs', async () => {
    const before = probe.connections;
    expect(await get(POLLING, { Origin: EVIL })).toEqual(FORBIDDEN_POLLING);
    expect(probe.connections).toBe(before);
  });

  it('refuses JSONP polling (j=0), with or without an allowed Origin', async () => {
    const before = probe.connections;
    expect(await get(`${POLLING}&j=0`, { Origin: APP })).toEqual(FORBIDDEN_POLLING);
    // What a `<script src>` on any page sends: no Origin.
    expect(await get(`${POLLING}&j=0`, {})).toEqual(FORBIDDEN_POLLING);
    expect(probe.connections).toBe(before);
  });

  it('refuses an Origin-less handshake that Fetch Metadata marks as cross-site', async () => {
    const before = probe.connections;
    expect(await get(POLLING, { 'Sec-Fetch-Site': 'cross-site' })).toEqual(FORBIDDEN_POLLING);
    expect(
      await get(POLLING, { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'no-cors' }),
    ).toEqual(FORBIDDEN_POLLING);
    expect(probe.connections).toBe(before);
  });

  it('accepts an Origin-less handshake without Fetch Metadata (a native client)', async () => {
    const before = probe.connections;
    const { poll } = await session({});
    expect(poll.body).toBe(MAIN_CONNECTED);
    await vi.waitFor(() => expect(probe.connections).toBe(before + 1));
  });

  it('refuses the polls and POSTs of an allowed session from another origin', async () => {
    const { sid } = await session({ Origin: APP });
    const url = `${POLLING}&sid=${sid}`;
    expect(await get(url, { Origin: EVIL })).toEqual(FORBIDDEN_POLLING);
    expect(
      await httpRequest(
        booted.port,
        'POST',
        url,
        { Origin: EVIL, ...TEXT },
        framed('42["echo",1]'),
      ),
    ).toEqual(FORBIDDEN_POLLING);
  });

  it('refuses an EIO3 WebSocket handshake from another origin with an exact 403', async () => {
    const before = probe.connections;
    const refused = await rawHandshake(booted.port, WEBSOCKET, [['Origin', EVIL]]);
    expect(refused.raw).toBe(FORBIDDEN_UPGRADE);
    expect(refused.closedByServer).toBe(true);
    expect(probe.connections).toBe(before);
    const accepted = await rawHandshake(booted.port, WEBSOCKET, [['Origin', APP]]);
    expect(accepted.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('over an EIO3 WebSocket from an allowed origin, connects the main namespace', async () => {
    const before = probe.connections;
    const ws = await openFrameClient(`ws://127.0.0.1:${booted.port}${WEBSOCKET}`, APP);
    expect(await ws.frame(0)).toMatch(OPEN_PACKET);
    expect(await ws.frame(1)).toBe('40');
    await vi.waitFor(() => expect(probe.connections).toBe(before + 1));
    ws.socket.terminate();
  });

  it('refuses an EIO3 WebSocket upgrade of an allowed session from another origin', async () => {
    const { sid } = await session({ Origin: APP });
    const refused = await rawHandshake(booted.port, `${WEBSOCKET}&sid=${sid}`, [['Origin', EVIL]]);
    expect(refused.raw).toBe(FORBIDDEN_UPGRADE);
  });
});

/**
 * Three gateways on one engine: the main namespace and `/strict` allow only A, `/wide` allows
 * A and B. The engine serves the union (A and B); each namespace keeps to its own list, the
 * main namespace's auto-connect included.
 */
describe('OriginIoAdapter with allowEIO3: a main namespace narrower than the engine', () => {
  const probes = { main: new GatewayProbe(), wide: new GatewayProbe(), strict: new GatewayProbe() };
  let booted: BootedApp;

  beforeAll(async () => {
    booted = await bootIoApp({
      options: { allowedOrigins: [APP] },
      gateways: [
        echoGateway(probes.main, {
          name: 'MainGateway',
          options: { allowEIO3: true },
          allowedOrigins: [A],
        }),
        echoGateway(probes.wide, {
          name: 'WideGateway',
          options: { allowEIO3: true, namespace: '/wide' },
          allowedOrigins: [A, B],
        }),
        echoGateway(probes.strict, {
          name: 'StrictGateway',
          options: { allowEIO3: true, namespace: '/strict' },
          allowedOrigins: [A],
        }),
      ],
    });
  });
  afterAll(() => booted.app.close());

  function connections() {
    return Object.fromEntries(Object.entries(probes).map(([k, p]) => [k, p.connections]));
  }

  async function openSession(origin: string): Promise<string> {
    const handshake = await httpRequest(booted.port, 'GET', POLLING, { Origin: origin });
    expect(handshake.statusLine).toBe('HTTP/1.1 200 OK');
    return sidOf(onlyPacket(handshake.body));
  }

  const poll = (sid: string, origin: string) =>
    httpRequest(booted.port, 'GET', `${POLLING}&sid=${sid}`, { Origin: origin });
  const post = (sid: string, origin: string, packet: string) =>
    httpRequest(
      booted.port,
      'POST',
      `${POLLING}&sid=${sid}`,
      { Origin: origin, ...TEXT },
      framed(packet),
    );

  it("accepts B's handshake, refuses its auto-connect to / and lets it join /wide", async () => {
    const before = connections();
    const sid = await openSession(B);
    const refused = await poll(sid, B);
    expect(refused.statusLine).toBe('HTTP/1.1 200 OK');
    expect(refused.body).toBe(MAIN_REFUSED);
    expect(refused.body).toBe('22:44"Origin not allowed"');

    expect((await post(sid, B, '40/wide,')).body).toBe('ok');
    expect((await poll(sid, B)).body).toBe('8:40/wide,');
    await vi.waitFor(() => expect(connections()).toEqual({ ...before, wide: before.wide! + 1 }));
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket handshake: reason=not_allowed origin="${B}" path="/socket.io/" gateway=MainGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add '${B}' to the allowed origins.`,
    );
  });

  it("connects A's auto-connect to /", async () => {
    const before = connections();
    const sid = await openSession(A);
    expect((await poll(sid, A)).body).toBe(MAIN_CONNECTED);
    await vi.waitFor(() => expect(connections()).toEqual({ ...before, main: before.main! + 1 }));
  });

  it('refuses the auto-connect over an EIO3 WebSocket from B, and lets it join /wide', async () => {
    const before = connections();
    const ws = await openFrameClient(`ws://127.0.0.1:${booted.port}${WEBSOCKET}`, B);
    expect(await ws.frame(0)).toMatch(OPEN_PACKET);
    expect(await ws.frame(1)).toBe(MAIN_REFUSED_PACKET);
    ws.socket.send('40/wide,');
    expect(await ws.frame(2)).toBe('40/wide,');
    await vi.waitFor(() => expect(connections()).toEqual({ ...before, wide: before.wide! + 1 }));
    ws.socket.terminate();
  });

  it("refuses a CONNECT to /strict POSTed from B with a sid A's page minted", async () => {
    const before = connections();
    const sid = await openSession(A);
    expect((await poll(sid, A)).body).toBe(MAIN_CONNECTED);
    await vi.waitFor(() => expect(connections()).toEqual({ ...before, main: before.main! + 1 }));

    // B is allowed by the engine (it may join /wide), so its requests with A's sid get through
    // to Socket.IO; /strict decides on the request that carried the CONNECT.
    expect((await post(sid, B, '40/strict,')).body).toBe('ok');
    expect((await poll(sid, B)).body).toBe('30:44/strict,"Origin not allowed"');
    // EIO3 clients may put a query on the namespace; it names the same namespace.
    expect((await post(sid, B, '40/strict?token=1,')).body).toBe('ok');
    expect((await poll(sid, B)).body).toBe('30:44/strict,"Origin not allowed"');
    expect(connections()).toEqual({ ...before, main: before.main! + 1 });

    // A name Socket.IO normalizes to /strict (it reads EIO3 names with `new URL()`) is
    // refused too.
    expect((await post(sid, B, '40/wide/../strict,')).body).toBe('ok');
    expect((await poll(sid, B)).body).toBe('30:44/strict,"Origin not allowed"');
    expect(connections()).toEqual({ ...before, main: before.main! + 1 });

    // The control: the same session joins /strict when A's page sends the CONNECT.
    expect((await post(sid, A, '40/strict,')).body).toBe('ok');
    expect((await poll(sid, A)).body).toBe('10:40/strict,');
    await vi.waitFor(() =>
      expect(connections()).toEqual({
        ...before,
        main: before.main! + 1,
        strict: before.strict! + 1,
      }),
    );
  });

  it("refuses B re-joining / over A's session after it left /", async () => {
    const before = connections();
    const sid = await openSession(A);
    expect((await poll(sid, A)).body).toBe(MAIN_CONNECTED);
    await vi.waitFor(() => expect(connections()).toEqual({ ...before, main: before.main! + 1 }));
    // DISCONNECT (1) from /, then a CONNECT (0) to /: this one comes with a packet.
    expect((await post(sid, B, '41')).body).toBe('ok');
    expect((await post(sid, B, '40')).body).toBe('ok');
    expect((await poll(sid, B)).body).toBe(MAIN_REFUSED);
    expect(connections()).toEqual({ ...before, main: before.main! + 1 });
  });
});
