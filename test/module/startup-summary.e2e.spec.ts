import { Injectable } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { OriginsProvider } from '../../src/index.js';
import { withOriginCheck } from '../../src/socket-io/index.js';
import { OriginWsAdapter } from '../../src/ws/index.js';
import { type BootedApp, bootApp, type BootSpec } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { freePort } from '../support/net.js';

/**
 * What operators see at startup: one line per endpoint (and Socket.IO namespace) with its
 * transport, port and path, what enforces it, its mode and every effective entry. Written by
 * the adapter that creates the endpoint's server, so the enforcer is the one really there.
 */

const opened: BootedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.app.close()));
});

/** The gateways' lines, and apart from them the app-wide upgrade gate's. */
async function summaries(
  spec: BootSpec,
): Promise<{ lines: string[]; gate: string[]; port: number }> {
  const booted = await bootApp(spec);
  opened.push(booted);
  const all = booted.logger.lines
    .filter((l) => l.level === 'log' && l.context === 'OriginGuard')
    .map((l) => l.message);
  const byGate = (line: string) => line.includes('enforced by the app-wide upgrade gate');
  return { lines: all.filter((l) => !byGate(l)), gate: all.filter(byGate), port: booted.port };
}

const ENTRIES = [
  'HTTPS://App.Example.com:443/',
  'http://localhost:*',
  'https://example.com:[8443,9443]',
  'https://*.example.com',
  /^https:\/\/pr-\d+\.preview\.example\.com$/,
];
const SHOWN =
  "5 entries: 'https://app.example.com' (exact), 'http://localhost:*' (any port), " +
  "'https://example.com:[8443,9443]' (port list), 'https://*.example.com' (wildcard), " +
  '/^https:\\/\\/pr-\\d+\\.preview\\.example\\.com$/ (RegExp)';
const SETTINGS = 'mode=enforce, missing Origin allowed, null refused';

@Injectable()
class TenantOrigins implements OriginsProvider {
  getAllowedOrigins() {
    return [
      'https://t1.example',
      function isTenant() {
        return false;
      },
    ];
  }
}

describe('startup summary, ws', () => {
  it("names the app's port and path, the enforcer and each entry as normalized", async () => {
    const { lines, port } = await summaries({
      options: { allowedOrigins: ENTRIES },
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/ws' } })],
    });
    expect(lines).toEqual([
      `EchoGateway: ws on port ${port} (the app's HTTP server), path "/ws", enforced by OriginWsAdapter: ${SETTINGS}, ${SHOWN}`,
    ]);
  });

  it('writes one line per endpoint, naming every gateway on it, and says "any path"', async () => {
    const own = await freePort();
    const { lines, port } = await summaries({
      options: { allowedOrigins: ['https://app.example.com'] },
      gateways: [
        echoGateway(new GatewayProbe(), { name: 'ChatGateway', options: { path: '/chat' } }),
        echoGateway(new GatewayProbe(), { name: 'LobbyGateway', options: { path: '/chat' } }),
        echoGateway(new GatewayProbe(), { name: 'RawGateway', port: own }),
      ],
    });
    expect(lines.toSorted()).toEqual([
      `ChatGateway, LobbyGateway: ws on port ${port} (the app's HTTP server), path "/chat", enforced by OriginWsAdapter: ${SETTINGS}, 1 entry: 'https://app.example.com' (exact)`,
      `RawGateway: ws on port ${own}, any path, enforced by OriginWsAdapter: ${SETTINGS}, 1 entry: 'https://app.example.com' (exact)`,
    ]);
  });

  it('names the providers entries came from, and a subclass of the adapter', async () => {
    class AuditedWsAdapter extends OriginWsAdapter {}
    const { lines, port } = await summaries({
      options: { allowedOrigins: ['https://app.example.com'] },
      providers: [TenantOrigins],
      adapter: (app) => new AuditedWsAdapter(app),
      gateways: [
        echoGateway(new GatewayProbe(), {
          name: 'TenantGateway',
          options: { path: '/tenant' },
          allowedOrigins: [{ origins: [TenantOrigins], merge: 'extend', mode: 'report-only' }],
        }),
      ],
    });
    expect(lines).toEqual([
      `TenantGateway: ws on port ${port} (the app's HTTP server), path "/tenant", enforced by AuditedWsAdapter (OriginWsAdapter): ` +
        "mode=report-only, missing Origin allowed, null refused, 3 entries: 'https://app.example.com' (exact), " +
        "'https://t1.example' (exact, from TenantOrigins), [function isTenant] (predicate, from TenantOrigins)",
    ]);
  });
});

describe('startup summary, app-wide upgrade gate', () => {
  it('names each upgrades path, then every other upgrade of the app server', async () => {
    const { gate, port } = await summaries({
      options: {
        allowedOrigins: ['https://app.example.com'],
        upgrades: { '/graphql': ['https://studio.example.com/'] },
      },
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/ws' } })],
    });
    const server = `WebSocket on port ${port} (the app's HTTP server)`;
    expect(gate).toEqual([
      `upgrades["/graphql"]: ${server}, path "/graphql", enforced by the app-wide upgrade gate: ${SETTINGS}, 1 entry: 'https://studio.example.com' (exact)`,
      `Every other upgrade: ${server}, any path, enforced by the app-wide upgrade gate: ${SETTINGS}, 1 entry: 'https://app.example.com' (exact)`,
    ]);
  });
});

describe('startup summary, Socket.IO', () => {
  it('names the engine path clients use, and each namespace with its own policy', async () => {
    const { lines, port } = await summaries({
      transport: 'socket.io',
      options: { allowedOrigins: ['https://app.example.com'] },
      gateways: [
        echoGateway(new GatewayProbe(), { name: 'MainGateway' }),
        echoGateway(new GatewayProbe(), {
          name: 'AdminGateway',
          options: { namespace: '/admin' },
          allowedOrigins: ['https://admin.example.com'],
        }),
      ],
    });
    const engine = `Socket.IO on port ${port} (the app's HTTP server), path "/socket.io/"`;
    expect(lines.toSorted()).toEqual([
      `AdminGateway: ${engine}, namespace "/admin", enforced by OriginIoAdapter: ${SETTINGS}, 1 entry: 'https://admin.example.com' (exact)`,
      `MainGateway: ${engine}, enforced by OriginIoAdapter: ${SETTINGS}, 1 entry: 'https://app.example.com' (exact)`,
    ]);
  });

  it('names the adapter class withOriginCheck() wrapped, on its own port and path', async () => {
    class RedisIoAdapter extends IoAdapter {}
    const OriginRedisIoAdapter = withOriginCheck(RedisIoAdapter);
    const own = await freePort();
    const { lines } = await summaries({
      transport: 'socket.io',
      adapter: (app) => new OriginRedisIoAdapter(app),
      options: { allowedOrigins: ['https://app.example.com'], mode: 'report-only' },
      gateways: [
        echoGateway(new GatewayProbe(), {
          name: 'LiveGateway',
          port: own,
          options: { path: '/live' },
        }),
      ],
    });
    expect(lines).toEqual([
      `LiveGateway: Socket.IO on port ${own}, path "/live/", enforced by withOriginCheck(RedisIoAdapter): ` +
        "mode=report-only, missing Origin allowed, null refused, 1 entry: 'https://app.example.com' (exact)",
    ]);
  });
});
