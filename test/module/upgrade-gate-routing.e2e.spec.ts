import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type BootedApp, bootApp } from '../support/boot.js';
import { closeAfterEach } from '../support/close-after-each.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { FORBIDDEN_UPGRADE } from '../support/expected.js';
import { rawHandshake } from '../support/net.js';
import { attachRawWsServer, type RawWsServer } from '../support/raw-ws-server.js';

/**
 * How the app-wide gate routes an upgrade to the policy that decides it, and how it keeps
 * track of who listens: an engine.io server owns every target under its path prefix, and the
 * 404 for unserved paths follows the listeners as they come and go.
 */

const ALLOWED = 'https://app.example.com';
const GQL = 'https://gql.example';
const SWITCHING = 'HTTP/1.1 101 Switching Protocols';
const NOT_FOUND_LINE = 'HTTP/1.1 404 Not Found';
const ENGINE_UPGRADE = '/socket.io/?EIO=4&transport=websocket';

const closeLater = closeAfterEach();

async function boot(spec: Parameters<typeof bootApp>[0]): Promise<BootedApp> {
  const booted = await bootApp(spec);
  closeLater(() => booted.app.close());
  return booted;
}

function attach(booted: BootedApp, ...paths: string[]): RawWsServer {
  const raw = attachRawWsServer(booted.app.getHttpServer() as Server, ...paths);
  closeLater(raw.close);
  return raw;
}

const upgrade = (booted: BootedApp, path: string, origin: string) =>
  rawHandshake(booted.port, path, [['Origin', origin]]);

describe('the gate next to a Socket.IO engine', () => {
  it("decides only targets under the engine's prefix by the engine's policy, others by their own", async () => {
    const booted = await boot({
      transport: 'socket.io',
      options: { allowedOrigins: [ALLOWED], upgrades: { '/graphql': [GQL] } },
      gateways: [echoGateway(new GatewayProbe())],
    });
    const graphql = attach(booted, '/graphql');

    expect((await upgrade(booted, ENGINE_UPGRADE, ALLOWED)).statusLine).toBe(SWITCHING);
    expect((await upgrade(booted, ENGINE_UPGRADE, GQL)).raw).toBe(FORBIDDEN_UPGRADE);
    // Not under /socket.io/: the engine's policy, which allows ALLOWED and refuses GQL, is not
    // the one that decides.
    expect((await upgrade(booted, '/graphql', ALLOWED)).raw).toBe(FORBIDDEN_UPGRADE);
    expect((await upgrade(booted, '/graphql', GQL)).statusLine).toBe(SWITCHING);
    expect(graphql.reached()).toBe(1);
  });

  it("answers 404 for a path outside the engine's prefix that no listener serves", async () => {
    const booted = await boot({
      transport: 'socket.io',
      gateways: [echoGateway(new GatewayProbe())],
    });
    const answer = await upgrade(booted, '/nowhere', ALLOWED);
    expect(answer.statusLine).toBe(NOT_FOUND_LINE);
    expect(answer.closedByServer).toBe(true);
  });
});

describe('the 404 for upgrades nobody serves', () => {
  it('stops when a listener that serves other paths is added, and comes back when it goes', async () => {
    const booted = await boot({
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/chat' } })],
    });
    // Only the gateway listens: an upgrade it does not serve is answered 404.
    expect((await upgrade(booted, '/late', ALLOWED)).statusLine).toBe(NOT_FOUND_LINE);

    const late = attach(booted, '/late');
    expect((await upgrade(booted, '/late', ALLOWED)).statusLine).toBe(SWITCHING);
    expect(late.reached()).toBe(1);

    late.detach();
    expect((await upgrade(booted, '/late', ALLOWED)).statusLine).toBe(NOT_FOUND_LINE);
    expect(late.reached()).toBe(1);
  });
});
