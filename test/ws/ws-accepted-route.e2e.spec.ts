import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer as WsServer } from 'ws';
import {
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { expectOpened, openWs, roundTrip } from '../support/net.js';

const ALLOWED = 'https://app.example.com';
// The `ws` that Nest's WsAdapter creates its servers with (it may have a copy of its own).
const nestRequire = createRequire(createRequire(import.meta.url).resolve('@nestjs/platform-ws'));
const { WebSocketServer } = nestRequire('ws') as { WebSocketServer: typeof WsServer };
type Upgraded = (client: WebSocket, request: IncomingMessage) => void;

/**
 * The callback `ws`'s own `handleUpgrade` is given for each accepted handshake. A gateway on
 * the app's HTTP server is handed over without a closure per handshake (one callback made per
 * `ws` server), unless its `verifyClient` may call back later; the benchmark's CPU per
 * handshake depends on it, and no other test could tell the two routes apart.
 */
describe.each([
  ['without verifyClient', {}, 'one callback for every handshake'],
  ['with verifyClient', { verifyClient: () => true }, 'a callback per handshake'],
] as const)('an accepted upgrade to a gateway on the app server, %s', (_name, extra, expected) => {
  const callbacks: Upgraded[] = [];
  const prototype = WebSocketServer.prototype;
  const saved = Object.getOwnPropertyDescriptor(prototype, 'handleUpgrade')!;
  const original = saved.value as WsServer['handleUpgrade'];
  const probe = new GatewayProbe();
  let booted: BootedApp;

  beforeAll(async () => {
    // Before the adapter binds `ws`'s method: what it calls is this recorder.
    prototype.handleUpgrade = function (
      this: WsServer,
      req: IncomingMessage,
      socket: Duplex,
      head: Buffer,
      upgraded: Upgraded,
    ) {
      callbacks.push(upgraded);
      original.call(this, req, socket, head, upgraded);
    };
    booted = await bootApp({
      platform: 'express',
      gateways: [echoGateway(probe, { options: { path: '/ws', ...extra } })],
    });
  });
  afterAll(async () => {
    Object.defineProperty(prototype, 'handleUpgrade', saved);
    await booted.app.close();
  });

  it(`reaches the gateway through ${expected}`, async () => {
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 3; i++) {
      sockets.push(expectOpened(await openWs(`ws://127.0.0.1:${booted.port}/ws`, ALLOWED)));
    }
    expect(await roundTrip(sockets[2]!, 'echo', 'hi')).toEqual({
      reply: { event: 'echo', data: 'hi' },
    });
    for (const socket of sockets) socket.close();

    expect(callbacks).toHaveLength(3);
    expect(new Set(callbacks).size).toBe(expected === 'one callback for every handshake' ? 1 : 3);
    expect(probe.connections).toBe(3);
  });
});

/** A gateway that wraps its `ws` server's `handleUpgrade` after the adapter did, as a user may. */
function wrappingGateway(calls: string[]): Function {
  @WebSocketGateway({ path: '/ws' })
  class WrappingGateway implements OnGatewayInit {
    afterInit(server: WsServer): void {
      const handleUpgrade = server.handleUpgrade.bind(server);
      server.handleUpgrade = (req, socket, head, upgraded) => {
        calls.push(req.headers.origin ?? '(none)');
        handleUpgrade(req, socket, head, upgraded);
      };
    }

    @SubscribeMessage('echo')
    echo(@MessageBody() data: unknown) {
      return { event: 'echo', data };
    }
  }
  return WrappingGateway;
}

describe('a ws server whose handleUpgrade was wrapped after the adapter', () => {
  const calls: string[] = [];
  let booted: BootedApp;

  beforeAll(async () => {
    booted = await bootApp({ platform: 'express', gateways: [wrappingGateway(calls)] });
  });
  afterAll(() => booted.app.close());

  it('gets every accepted upgrade through that wrapper, and no refused one', async () => {
    const url = `ws://127.0.0.1:${booted.port}/ws`;
    const socket = expectOpened(await openWs(url, ALLOWED));
    expect(await roundTrip(socket, 'echo', 1)).toEqual({ reply: { event: 'echo', data: 1 } });
    socket.close();
    expect(await openWs(url, 'https://evil.example.org')).toMatchObject({ statusCode: 403 });

    expect(calls).toEqual([ALLOWED]);
  });
});
