import type { Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Manager } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { OriginGuardModule } from '../../src/index.js';
import { bootForSuite } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { type IoTransport, joinNamespace, tryConnectIo } from '../support/io-client.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const EVIL = 'https://evil.example';
const REFUSED_BY_NAMESPACE = { connected: false, message: 'Origin not allowed' };

/**
 * Four gateways on one engine (the app's server, `/socket.io`): the main namespace and `/chat`
 * use the module's list, `/admin` and the dynamic `/room-<n>` namespaces only allow the admin
 * site. The admin gateway comes first, so it is the one that creates the engine.
 */
describe('OriginIoAdapter: gateways that differ by namespace on one engine', () => {
  const probes = {
    lobby: new GatewayProbe(),
    chat: new GatewayProbe(),
    admin: new GatewayProbe(),
    rooms: new GatewayProbe(),
  };
  const booted = bootForSuite(() =>
    bootIoApp({
      options: { allowedOrigins: [APP] },
      gateways: [
        echoGateway(probes.admin, {
          name: 'AdminGateway',
          options: { namespace: '/admin' },
          allowedOrigins: [ADMIN],
        }),
        echoGateway(probes.lobby, { name: 'LobbyGateway' }),
        echoGateway(probes.chat, { name: 'ChatGateway', options: { namespace: 'chat' } }),
        echoGateway(probes.rooms, {
          name: 'RoomsGateway',
          options: { namespace: /^\/room-\d+$/ },
          allowedOrigins: [ADMIN],
        }),
      ],
    }),
  );
  const base = () => `http://127.0.0.1:${booted.port}`;

  function connections() {
    return Object.fromEntries(Object.entries(probes).map(([k, p]) => [k, p.connections]));
  }

  function attempt(origin: string, namespace: string, transports: IoTransport[]) {
    return tryConnectIo(`${base()}${namespace}`, { origin, transports });
  }

  describe.each([['websocket'], ['polling']] as IoTransport[][])('over %s', (transport) => {
    const transports = [transport];
    const engineRefusal =
      transport === 'websocket'
        ? {
            connected: false,
            message: 'websocket error',
            description: 'Unexpected server response: 403',
          }
        : { connected: false, message: 'xhr poll error', description: 403 };

    it('lets each origin into its namespaces only, before handleConnection', async () => {
      const before = connections();
      expect({
        appToLobby: await attempt(APP, '/', transports),
        appToChat: await attempt(APP, '/chat', transports),
        appToAdmin: await attempt(APP, '/admin', transports),
        appToRoom: await attempt(APP, '/room-1', transports),
        adminToLobby: await attempt(ADMIN, '/', transports),
        adminToChat: await attempt(ADMIN, '/chat', transports),
        adminToAdmin: await attempt(ADMIN, '/admin', transports),
        adminToRoom: await attempt(ADMIN, '/room-7', transports),
      }).toEqual({
        appToLobby: 'connected',
        appToChat: 'connected',
        appToAdmin: REFUSED_BY_NAMESPACE,
        appToRoom: REFUSED_BY_NAMESPACE,
        adminToLobby: REFUSED_BY_NAMESPACE,
        adminToChat: REFUSED_BY_NAMESPACE,
        adminToAdmin: 'connected',
        adminToRoom: 'connected',
      });
      expect(connections()).toEqual({
        lobby: before.lobby! + 1,
        chat: before.chat! + 1,
        admin: before.admin! + 1,
        rooms: before.rooms! + 1,
      });
    });

    it('refuses an origin no namespace allows at the HTTP level, with 403', async () => {
      const before = connections();
      expect(await attempt(EVIL, '/admin', transports)).toEqual(engineRefusal);
      expect(await attempt(EVIL, '/chat', transports)).toEqual(engineRefusal);
      expect(connections()).toEqual(before);
    });
  });

  it('refuses a namespace over a connection another namespace accepted', async () => {
    const before = connections();
    const manager = new Manager(base(), {
      reconnection: false,
      transports: ['websocket'],
      extraHeaders: { Origin: APP },
    });
    const chat = await joinNamespace(manager, '/chat');
    const admin = await joinNamespace(manager, '/admin');
    expect({ chat: chat.connected, admin }).toEqual({ chat: true, admin: REFUSED_BY_NAMESPACE });
    expect(connections()).toEqual({ ...before, chat: before.chat! + 1 });
    manager.engine.close();
  });

  it('logs a namespace refusal with the gateways of that namespace', () => {
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket handshake: reason=not_allowed origin="${APP}" path="/socket.io/" gateway=AdminGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add '${APP}' to the allowed origins.`,
    );
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket handshake: reason=not_allowed origin="${ADMIN}" path="/socket.io/" gateway=LobbyGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add '${ADMIN}' to the allowed origins.`,
    );
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket handshake: reason=not_allowed origin="${EVIL}" path="/socket.io/" gateway=AdminGateway, LobbyGateway, ChatGateway, RoomsGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add '${EVIL}' to the allowed origins.`,
    );
  });
});

/** Compiles a module like bootstrap does, and returns the error it fails with. */
async function bootstrapError(gateways: Function[]): Promise<string> {
  const error = await Test.createTestingModule({
    imports: [OriginGuardModule.forRoot({ allowedOrigins: [APP] })],
    providers: gateways as Provider[],
  })
    .setLogger(new CaptureLogger())
    .compile()
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe('OriginGuardModule: Socket.IO namespaces at bootstrap', () => {
  it('refuses two gateways on one namespace with different policies', async () => {
    const probe = new GatewayProbe();
    expect(
      await bootstrapError([
        echoGateway(probe, { name: 'AdminGateway', options: { namespace: 'admin' } }),
        echoGateway(probe, {
          name: 'AuditGateway',
          options: { namespace: '/admin' },
          allowedOrigins: [ADMIN],
        }),
      ]),
    ).toBe(
      [
        'OriginGuardModule: invalid origin policy (1 problem):',
        `  - AdminGateway and AuditGateway = the app's HTTP server, path "/", namespace "/admin": share one Socket.IO namespace but declare different @AllowedOrigins, and one namespace cannot enforce two handshake policies. Fix: give them the same @AllowedOrigins, or put them in different namespaces.`,
      ].join('\n'),
    );
  });

  it('warns about a namespace whose list is empty', async () => {
    const probe = new GatewayProbe();
    const booted = await bootIoApp({
      options: { allowedOrigins: [APP] },
      gateways: [
        echoGateway(probe, { name: 'ChatGateway', options: { namespace: 'chat' } }),
        echoGateway(probe, {
          name: 'ClosedGateway',
          options: { namespace: 'closed' },
          allowedOrigins: [],
        }),
      ],
    });
    await booted.app.close();
    expect(booted.logger.warnings()).toEqual([
      `@AllowedOrigins() of ClosedGateway (the app's HTTP server, path "/", namespace "/closed") is empty: every browser handshake will be refused with 403.`,
    ]);
  });
});
