import { describe, expect, it } from 'vitest';
import { bootForSuite } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest } from '../support/http-request.js';
import { tryConnectIo } from '../support/io-client.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';

/** Two engines on the app's server, one per path, each with its gateway's own policy. */
describe('OriginIoAdapter: gateways on different paths', () => {
  const chat = new GatewayProbe();
  const admin = new GatewayProbe();
  const booted = bootForSuite(() =>
    bootIoApp({
      options: { allowedOrigins: [APP] },
      gateways: [
        echoGateway(chat, { name: 'ChatGateway', options: { path: '/chat' } }),
        echoGateway(admin, {
          name: 'AdminGateway',
          options: { path: '/admin' },
          allowedOrigins: [ADMIN],
        }),
      ],
    }),
  );
  const base = () => `http://127.0.0.1:${booted.port}`;

  function attempt(origin: string, path: string) {
    return tryConnectIo(base(), { origin, path, transports: ['websocket'] });
  }

  it("checks each engine's requests against its own gateway's policy", async () => {
    const refused = {
      connected: false,
      message: 'websocket error',
      description: 'Unexpected server response: 403',
    };
    expect({
      appToChat: await attempt(APP, '/chat'),
      appToAdmin: await attempt(APP, '/admin'),
      adminToChat: await attempt(ADMIN, '/chat'),
      adminToAdmin: await attempt(ADMIN, '/admin'),
    }).toEqual({
      appToChat: 'connected',
      appToAdmin: refused,
      adminToChat: refused,
      adminToAdmin: 'connected',
    });
    expect({ chat: chat.connections, admin: admin.connections }).toEqual({ chat: 1, admin: 1 });
  });

  it('refuses polling on the narrower path with 403, and names its gateway', async () => {
    const answer = await httpRequest(booted.port, 'GET', '/admin/?EIO=4&transport=polling', {
      Origin: APP,
    });
    expect(answer.statusLine).toBe('HTTP/1.1 403 Forbidden');
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket handshake: reason=not_allowed origin="${APP}" path="/admin/" gateway=AdminGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add '${APP}' to the allowed origins.`,
    );
  });
});

/**
 * Nest starts one engine per distinct `path` option, and `{}` and `{ path: '/socket.io' }`
 * both mean engine.io's `/socket.io/`: two engines on one path, each enforcing only its own
 * gateways' policy (issue #10, item 5).
 */
describe('OriginIoAdapter: two engines on one path', () => {
  it.each([
    ['different policies', {}, { path: '/socket.io' }, [ADMIN], '"/socket.io" and (omitted)'],
    [
      'one policy',
      { path: '/socket.io' },
      { path: '/socket.io/' },
      undefined,
      '"/socket.io/" and "/socket.io"',
    ],
  ])(
    'fails at bootstrap naming both gateways (%s)',
    async (_name, first, second, adminOrigins, paths) => {
      const failure = bootIoApp({
        options: { allowedOrigins: [APP] },
        gateways: [
          echoGateway(new GatewayProbe(), { name: 'ChatGateway', options: first }),
          echoGateway(new GatewayProbe(), {
            name: 'AdminGateway',
            options: second,
            allowedOrigins: adminOrigins,
          }),
        ],
      });
      await expect(failure).rejects.toThrow(
        'withOriginCheck: invalid origin policy (1 problem):\n' +
          `  - AdminGateway, ChatGateway = path options ${paths} on the app's HTTP server: would start two Socket.IO engines on one engine path, "/socket.io/", and one path can serve only one engine. Fix: write the same path option on every gateway of that engine (or omit it on all of them).`,
      );
    },
  );
});
