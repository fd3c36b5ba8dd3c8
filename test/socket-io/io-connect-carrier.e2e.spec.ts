import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { BootedApp } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest, sidOf } from '../support/http-request.js';
import { frameText } from '../support/net.js';

/**
 * A namespace join is decided on the request that carried the CONNECT packet (issue #10,
 * item 3), not only on the session's first request: a sid minted by an origin that may join
 * `/strict` cannot be used from an origin that may only join `/wide`.
 */

const A = 'https://a.example';
const B = 'https://b.example';
const POLLING = '/socket.io/?EIO=4&transport=polling';
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };
const REFUSED_STRICT = '44/strict,{"message":"Origin not allowed"}';

const opened: BootedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.app.close()));
});

interface Deployment {
  readonly port: number;
  readonly strict: GatewayProbe;
  readonly wide: GatewayProbe;
}

async function boot(): Promise<Deployment> {
  const strict = new GatewayProbe();
  const wide = new GatewayProbe();
  const booted = await bootIoApp({
    gateways: [
      echoGateway(strict, {
        name: 'StrictGateway',
        options: { namespace: 'strict' },
        allowedOrigins: [A],
      }),
      echoGateway(wide, {
        name: 'WideGateway',
        options: { namespace: 'wide' },
        allowedOrigins: [A, B],
      }),
    ],
  });
  opened.push(booted);
  return { port: booted.port, strict, wide };
}

async function session(port: number, origin: string): Promise<string> {
  const handshake = await httpRequest(port, 'GET', POLLING, { Origin: origin });
  expect(handshake.statusLine).toBe('HTTP/1.1 200 OK');
  return sidOf(handshake.body);
}

/** POSTs one packet with `sid` from `origin`, then reads what the server queued. */
async function postThenPoll(port: number, sid: string, origin: string, packet: string) {
  const url = `${POLLING}&sid=${sid}`;
  const post = await httpRequest(port, 'POST', url, { Origin: origin, ...TEXT }, packet);
  expect(post.body).toBe('ok');
  return (await httpRequest(port, 'GET', url, { Origin: origin })).body;
}

describe('OriginIoAdapter: CONNECT decided on the request that carries it', () => {
  it('control: the origin that minted the session joins /strict over polling', async () => {
    const { port, strict } = await boot();
    const sid = await session(port, A);
    expect(await postThenPoll(port, sid, A, '40/strict,')).toMatch(
      /^40\/strict,\{"sid":"[\w-]+"\}$/,
    );
    expect(strict.connections).toBe(1);
  });

  it("refuses a CONNECT to /strict POSTed from another origin with the first origin's sid", async () => {
    const { port, strict, wide } = await boot();
    const sid = await session(port, A);

    expect(await postThenPoll(port, sid, B, '40/strict,')).toBe(REFUSED_STRICT);
    expect(strict.connections).toBe(0);
    // The other origin may still join what it is allowed to.
    expect(await postThenPoll(port, sid, B, '40/wide,')).toMatch(/^40\/wide,\{"sid":"[\w-]+"\}$/);
    expect(wide.connections).toBe(1);
  });

  it('refuses a CONNECT to /strict from the allowed origin on a session minted by another', async () => {
    const { port, strict } = await boot();
    const sid = await session(port, B);
    expect(await postThenPoll(port, sid, A, '40/strict,')).toBe(REFUSED_STRICT);
    expect(strict.connections).toBe(0);
  });

  it('refuses a CONNECT to /strict sent over a WebSocket upgraded from another origin', async () => {
    const { port, strict } = await boot();
    const sid = await session(port, A);
    const received = await upgradeAndSend(port, sid, B, '40/strict,');
    expect(received).toBe(REFUSED_STRICT);
    expect(strict.connections).toBe(0);
  });

  it('control: the same upgrade from the minting origin joins /strict', async () => {
    const { port, strict } = await boot();
    const sid = await session(port, A);
    expect(await upgradeAndSend(port, sid, A, '40/strict,')).toMatch(
      /^40\/strict,\{"sid":"[\w-]+"\}$/,
    );
    expect(strict.connections).toBe(1);
  });
});

/**
 * Upgrades the session to WebSocket from `origin` (engine.io's probe: `2probe`, `3probe`,
 * then `5`), sends `packet` over it and resolves with the first Socket.IO packet that comes back.
 */
function upgradeAndSend(
  port: number,
  sid: string,
  origin: string,
  packet: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(
      `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket&sid=${sid}`,
      {
        origin,
      },
    );
    socket.on('open', () => socket.send('2probe'));
    socket.on('message', (data) => {
      const text = frameText(data);
      if (text === '3probe') {
        socket.send('5');
        socket.send(packet);
      } else if (text.startsWith('4')) {
        socket.close();
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}
