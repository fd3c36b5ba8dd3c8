import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import {
  type OriginDecisionEvent,
  OriginGuardModule,
  OriginPolicy,
  protectUpgrades,
} from '../../src/index.js';
import { type BootedApp, bootApp, type HttpPlatform } from '../support/boot.js';
import { closeAfterEach } from '../support/close-after-each.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { FORBIDDEN_UPGRADE, notAllowedLine } from '../support/expected.js';
import { rawHandshake } from '../support/net.js';
import { attachRawWsServer } from '../support/raw-ws-server.js';

/**
 * Issue #12: importing the module checks every WebSocket upgrade of the app's HTTP server,
 * whoever serves it, and no gateway is served unchecked without saying so.
 */

const ALLOWED = 'https://app.example.com';
const EVIL = 'https://evil.example';
const SWITCHING = 'HTTP/1.1 101 Switching Protocols';
const NOT_FOUND =
  'HTTP/1.1 404 Not Found\r\n' +
  'Connection: close\r\n' +
  'Content-Type: text/plain; charset=utf-8\r\n' +
  'Content-Length: 9\r\n' +
  '\r\n' +
  'Not Found';

const closeLater = closeAfterEach();

async function boot(spec: Parameters<typeof bootApp>[0]): Promise<BootedApp> {
  const booted = await bootApp(spec);
  closeLater(() => booted.app.close());
  return booted;
}

/** A raw `ws` server attached after `listen()`, closed after the test; counts who reached it. */
function rawServer(booted: BootedApp, ...paths: string[]): () => number {
  const raw = attachRawWsServer(booted.app.getHttpServer() as Server, ...paths);
  closeLater(raw.close);
  return raw.reached;
}

/**
 * A refusal the gate decided by `allowedOrigins`: no gateway or `upgrades` entry names the
 * path, so the line says `*` (any other path), never the target the client chose.
 */
function refusedLine(path = '*', origin = EVIL): string {
  return notAllowedLine(origin, path, '(none)');
}

describe.each<HttpPlatform>(['express', 'fastify'])(
  'the app-wide upgrade gate on %s',
  (platform) => {
    it("checks a raw ws server's upgrade listener added after app.listen(): 403 before it runs, 101 when allowed", async () => {
      const booted = await boot({
        platform,
        gateways: [echoGateway(new GatewayProbe(), { options: { path: '/chat' } })],
      });
      const reached = rawServer(booted, '/raw');

      const refused = await rawHandshake(booted.port, '/raw', [['Origin', EVIL]]);
      expect(refused.raw).toBe(FORBIDDEN_UPGRADE);
      expect(reached()).toBe(0);
      expect(booted.logger.warnings()).toEqual([refusedLine()]);

      const allowed = await rawHandshake(booted.port, '/raw', [['Origin', ALLOWED]]);
      expect(allowed.statusLine).toBe(SWITCHING);
      // The gateway next to it still works: OriginWsAdapter no longer destroys /raw.
      const chat = await rawHandshake(booted.port, '/chat', [['Origin', ALLOWED]]);
      expect(chat.statusLine).toBe(SWITCHING);
    });

    it('checks a ws server attached with { server }, which adds its own listener', async () => {
      const booted = await boot({
        platform,
        gateways: [echoGateway(new GatewayProbe(), { options: { path: '/chat' } })],
      });
      let reached = 0;
      const wss = new WebSocketServer({
        server: booted.app.getHttpServer() as Server,
        path: '/attached',
      });
      wss.on('connection', (socket) => {
        reached++;
        socket.close();
      });
      closeLater(() => new Promise((resolve) => wss.close(resolve)));

      expect((await rawHandshake(booted.port, '/attached', [['Origin', EVIL]])).raw).toBe(
        FORBIDDEN_UPGRADE,
      );
      expect(reached).toBe(0);
      expect((await rawHandshake(booted.port, '/attached', [['Origin', ALLOWED]])).statusLine).toBe(
        SWITCHING,
      );
    });
  },
);

describe('upgrades on a gateway path', () => {
  it('are decided before any listener sees them, so a loosely matching listener cannot serve a refused one', async () => {
    const probe = new GatewayProbe();
    const booted = await boot({
      gateways: [echoGateway(probe, { options: { path: '/chat' } })],
    });
    let sawRefused = 0;
    (booted.app.getHttpServer() as Server).on('upgrade', (req: IncomingMessage) => {
      if (req.url?.includes('live') === true && req.headers.origin === EVIL) sawRefused++;
    });
    expect((await rawHandshake(booted.port, '/chat?live', [['Origin', EVIL]])).raw).toBe(
      FORBIDDEN_UPGRADE,
    );
    expect(sawRefused).toBe(0);
    expect(probe.connections).toBe(0);
    // Decided once, by the gateway's policy: one line, naming the gateway.
    expect(booted.logger.warnings()).toEqual([notAllowedLine(EVIL, '/chat', 'EchoGateway')]);
  });
});

describe('paths nobody serves', () => {
  it('get 404 with Connection: close when only the gateways listen', async () => {
    const booted = await boot({
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/chat' } })],
    });
    const answer = await rawHandshake(booted.port, '/nowhere', [['Origin', ALLOWED]]);
    expect(answer.raw).toBe(NOT_FOUND);
    expect(answer.closedByServer).toBe(true);
  });

  it('control: Nest alone (plain WsAdapter) destroys an upgrade for another path without an answer', async () => {
    const booted = await boot({
      adapter: 'unprotected',
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/chat' } })],
    });
    const reached = rawServer(booted, '/raw');
    const answer = await rawHandshake(booted.port, '/raw', [['Origin', ALLOWED]]);
    expect(answer).toMatchObject({ raw: '', closedByServer: true });
    expect(reached()).toBe(0);
  });
});

describe('upgrades: explicit policies for paths no gateway serves', () => {
  it('decides an upgrade path by its own list, and every other path by allowedOrigins', async () => {
    const booted = await boot({
      options: { allowedOrigins: [ALLOWED], upgrades: { '/graphql': ['https://gql.example'] } },
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/chat' } })],
    });
    rawServer(booted, '/graphql', '/other');
    const at = (path: string, origin: string) =>
      rawHandshake(booted.port, path, [['Origin', origin]]);
    expect((await at('/graphql', 'https://gql.example')).statusLine).toBe(SWITCHING);
    expect((await at('/graphql', ALLOWED)).raw).toBe(FORBIDDEN_UPGRADE);
    expect((await at('/other', 'https://gql.example')).raw).toBe(FORBIDDEN_UPGRADE);
    expect((await at('/other', ALLOWED)).statusLine).toBe(SWITCHING);
    expect(
      booted.logger.lines
        .map((line) => line.message)
        .filter((line) => line.includes('upgrade gate')),
    ).toEqual([
      `upgrades["/graphql"]: WebSocket on port ${booted.port} (the app's HTTP server), path "/graphql", enforced by the app-wide upgrade gate: ` +
        "mode=enforce, missing Origin allowed, null refused, 1 entry: 'https://gql.example' (exact)",
      `Every other upgrade: WebSocket on port ${booted.port} (the app's HTTP server), any path, enforced by the app-wide upgrade gate: ` +
        `mode=enforce, missing Origin allowed, null refused, 1 entry: '${ALLOWED}' (exact)`,
    ]);
  });

  it('fails at bootstrap on a key that is not a path, and on a bad entry, naming both', async () => {
    await expect(
      boot({
        options: {
          allowedOrigins: [ALLOWED],
          upgrades: { graphql: [ALLOWED], '/gql': ['gql.example'] },
        },
        gateways: [echoGateway(new GatewayProbe(), { options: { path: '/chat' } })],
      }),
    ).rejects.toThrow(
      'OriginGuardModule: invalid origin policy (2 problems):\n' +
        `  - upgrades["graphql"] = "graphql": is not a path (it must start with "/" and have no query, fragment or space). Fix: write it as the path the server routes, e.g. '/graphql'.\n` +
        `  - upgrades["/gql"][0] = "gql.example": has no scheme. Fix: write the full origin, with the scheme your pages are served over: 'https://gql.example'.`,
    );
  });
});

describe('report-only and onDecision through the gate', () => {
  it('lets a refused origin through in report-only mode, logs "would refuse", and tells the hook', async () => {
    const events: OriginDecisionEvent[] = [];
    const booted = await boot({
      options: {
        allowedOrigins: [ALLOWED],
        mode: 'report-only',
        onDecision: (event) => void events.push(event),
      },
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/chat' } })],
    });
    const reached = rawServer(booted, '/raw');
    expect((await rawHandshake(booted.port, '/raw', [['Origin', EVIL]])).statusLine).toBe(
      SWITCHING,
    );
    await expect.poll(reached).toBe(1);
    expect(booted.logger.warnings().filter((l) => l.startsWith('Would refuse'))).toEqual([
      refusedLine().replace(
        'Refused WebSocket handshake:',
        'Would refuse WebSocket handshake (report-only):',
      ),
    ]);
    expect(events).toMatchObject([
      {
        stage: 'handshake',
        verdict: 'refused',
        reportOnly: true,
        reason: 'not_allowed',
        origin: EVIL,
        path: '*',
        gateway: undefined,
      },
    ]);
  });
});

describe('no silent unprotected gateway', () => {
  const message = (gateway: string, where: string) =>
    `OriginGuardModule: invalid origin policy (1 problem):\n` +
    `  - ${gateway} = ${where}: is served by an adapter that does not check origins (Nest's WsAdapter or IoAdapter, a subclass of them, or no useWebSocketAdapter() call in a Socket.IO app), so every origin could open it. ` +
    'Fix: app.useWebSocketAdapter(new OriginWsAdapter(app)) from nestjs-origin-guard/ws, or new OriginIoAdapter(app) (or withOriginCheck(YourIoAdapter)) from nestjs-origin-guard/socket.io; to start anyway, set allowUncheckedGateways: true.';

  it.each([
    ['ws', "Nest's WsAdapter", 'plain' as const, `the app's HTTP server, path "/chat"`],
    ['socket.io', "Nest's IoAdapter", 'plain' as const, `the app's HTTP server, path "/chat"`],
    [
      'socket.io',
      'no useWebSocketAdapter() call',
      'none' as const,
      `the app's HTTP server, path "/chat"`,
    ],
  ])(
    'fails at bootstrap over %s with %s, naming the gateway and the fix',
    async (transport, _name, adapter, where) => {
      await expect(
        bootApp({
          transport: transport as 'ws' | 'socket.io',
          adapter,
          originModule: OriginGuardModule.forRoot({ allowedOrigins: [ALLOWED] }),
          gateways: [
            echoGateway(new GatewayProbe(), { name: 'ChatGateway', options: { path: '/chat' } }),
          ],
        }),
      ).rejects.toThrow(message('ChatGateway', where));
    },
  );

  it('with allowUncheckedGateways: true, starts, warns, and the gate still refuses shared-server upgrades', async () => {
    const probe = new GatewayProbe();
    const booted = await boot({
      adapter: 'plain',
      gateways: [echoGateway(probe, { name: 'ChatGateway', options: { path: '/chat' } })],
    });
    expect(booted.logger.warnings()[0]).toBe(
      message('ChatGateway', `the app's HTTP server, path "/chat"`).replace(
        ': invalid origin policy',
        ': unchecked gateways (allowUncheckedGateways: true)',
      ) +
        "\n  Upgrades on the app's HTTP server are still checked by the app-wide gate; Socket.IO polling is not.",
    );
    expect((await rawHandshake(booted.port, '/chat', [['Origin', EVIL]])).raw).toBe(
      FORBIDDEN_UPGRADE,
    );
    expect(probe.connections).toBe(0);
    expect((await rawHandshake(booted.port, '/chat', [['Origin', ALLOWED]])).statusLine).toBe(
      SWITCHING,
    );
  });
});

describe('protectUpgrades on a plain Node server', () => {
  it('refuses before a ws { server } listener, allows the listed origin, and answers unserved paths', async () => {
    const server = createServer();
    const { policy } = OriginPolicy.compile([ALLOWED], {}, 'origins');
    const lines: string[] = [];
    protectUpgrades(server, { policy, logger: { warn: (line) => lines.push(line) } });
    const wss = new WebSocketServer({ server, path: '/live' });
    closeLater(() => new Promise((resolve) => wss.close(resolve)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closeLater(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as AddressInfo;

    expect((await rawHandshake(port, '/live', [['Origin', EVIL]])).raw).toBe(FORBIDDEN_UPGRADE);
    expect(lines).toEqual([refusedLine()]);
    expect((await rawHandshake(port, '/live', [['Origin', ALLOWED]])).statusLine).toBe(SWITCHING);
  });
});
