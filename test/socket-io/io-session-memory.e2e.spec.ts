import type { IncomingMessage, Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import type { BootedApp } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest, sidOf } from '../support/http-request.js';

const ALLOWED = 'https://app.example.com';
const POLLING = '/socket.io/?EIO=4&transport=polling';
/** Engine.io closes a session whose client stops polling after ping interval + timeout. */
const SHORT_PINGS = { pingInterval: 40, pingTimeout: 40 };

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const opened: BootedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.app.close()));
});

/** Whether `target` was collected, after full collections with turns between them. */
async function collected(target: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 10 && target.deref() !== undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    collectGarbage();
  }
  return target.deref() === undefined;
}

/**
 * When engine.io closes a polling session (its ping timed out, as for every client that went
 * away), it keeps the closed transport for up to 30 s (its `closeTimeout`: a last poll could
 * still come). Whatever the adapter hangs on that transport lives as long: a reference to the
 * handshake request kept the request, its TCP socket and buffers, about 3.9 KB a session.
 */
describe('A polling session that timed out', () => {
  it.each(['plain', 'origin'] as const)(
    'leaves its handshake request to the garbage collector (%s adapter)',
    async (adapter) => {
      const booted = await bootIoApp({
        adapter,
        gateways: [echoGateway(new GatewayProbe(), { options: SHORT_PINGS })],
      });
      opened.push(booted);
      let handshakeRequest: WeakRef<IncomingMessage> | undefined;
      (booted.app.getHttpServer() as Server).on('request', (req: IncomingMessage) => {
        if (req.url === POLLING) handshakeRequest = new WeakRef(req);
      });
      const handshake = await httpRequest(booted.port, 'GET', POLLING, { Origin: ALLOWED });
      expect(handshake.statusLine).toBe('HTTP/1.1 200 OK');
      // The session is gone: a poll for it is answered "Session ID unknown".
      await new Promise((resolve) => setTimeout(resolve, 200));
      const poll = await httpRequest(
        booted.port,
        'GET',
        `${POLLING}&sid=${sidOf(handshake.body)}`,
        { Origin: ALLOWED },
      );
      expect(poll.body).toBe('{"code":1,"message":"Session ID unknown"}');
      expect(handshakeRequest).toBeDefined();
      expect(await collected(handshakeRequest!)).toBe(true);
    },
  );
});
