import { connect } from 'node:net';
import { Injectable } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  OriginGuardModule,
  type OriginDecisionEvent,
  type OriginPredicate,
  type OriginsProvider,
} from '../../src/index.js';
import { type BootedApp, bootApp, type BootSpec } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { expectOpened, openWs, rawHandshake, roundTrip } from '../support/net.js';

const APP = 'https://app.example.com';
const FORBIDDEN = 'HTTP/1.1 403 Forbidden';

const running: BootedApp[] = [];
async function boot(spec: BootSpec): Promise<BootedApp> {
  const booted = await bootApp(spec);
  running.push(booted);
  return booted;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((b) => b.app.close()));
});

async function status(
  booted: BootedApp,
  headers: [string, string][],
  path = '/ws',
): Promise<string> {
  return (await rawHandshake(booted.port, path, headers)).statusLine;
}

describe('report-only mode', () => {
  it('accepts a refused origin, runs the gateway, and logs "would refuse"', async () => {
    const probe = new GatewayProbe();
    const booted = await boot({
      options: { allowedOrigins: [APP], mode: 'report-only' },
      gateways: [echoGateway(probe, { options: { path: '/ws' } })],
    });
    const outcome = await openWs(`ws://127.0.0.1:${booted.port}/ws`, 'https://unknown.example');
    expect(outcome.opened).toBe(true);
    if (!outcome.opened) return;
    expect(probe.connections).toBe(1);
    // the handler-level policy only reports too
    expect(await roundTrip(outcome.socket, 'admin', 1)).toEqual({
      reply: { event: 'admin', data: 1 },
    });
    outcome.socket.close();
    expect(booted.logger.warnings()).toEqual(
      expect.arrayContaining([
        `allowedOrigins is in mode 'report-only': refusals are logged, not enforced. Switch to 'enforce' once the logs show only expected origins.`,
        `Would refuse WebSocket handshake (report-only): reason=not_allowed origin="https://unknown.example" path="/ws" gateway=EchoGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add 'https://unknown.example' to the allowed origins.`,
        `Would refuse WebSocket message (report-only): reason=not_allowed origin="https://unknown.example" handler=EchoGateway.admin remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add 'https://unknown.example' to the allowed origins.`,
      ]),
    );
  });

  it('can be set for one gateway while the module enforces', async () => {
    const probe = new GatewayProbe();
    const booted = await boot({
      options: { allowedOrigins: [APP] },
      gateways: [
        echoGateway(probe, {
          name: 'NewGateway',
          options: { path: '/new' },
          allowedOrigins: [{ origins: [APP], mode: 'report-only' }],
        }),
        echoGateway(probe, { name: 'OldGateway', options: { path: '/old' } }),
      ],
    });
    expect(await status(booted, [['Origin', 'https://unknown.example']], '/new')).toBe(
      'HTTP/1.1 101 Switching Protocols',
    );
    expect(await status(booted, [['Origin', 'https://unknown.example']], '/old')).toBe(FORBIDDEN);
    expect(
      booted.logger.lines
        .filter((l) => l.level === 'log' && l.context === 'OriginGuard')
        .map((l) => l.message),
    ).toEqual([
      `OldGateway: ws on port ${booted.port} (the app's HTTP server), path "/old", enforced by OriginWsAdapter: mode=enforce, missing Origin allowed, null refused, 1 entry: 'https://app.example.com' (exact)`,
      `NewGateway: ws on port ${booted.port} (the app's HTTP server), path "/new", enforced by OriginWsAdapter: mode=report-only, missing Origin allowed, null refused, 1 entry: 'https://app.example.com' (exact)`,
      `Every other upgrade: WebSocket on port ${booted.port} (the app's HTTP server), any path, enforced by the app-wide upgrade gate: mode=enforce, missing Origin allowed, null refused, 1 entry: 'https://app.example.com' (exact)`,
    ]);
  });
});

describe('predicates through the adapter', () => {
  it('wait for a slow predicate, then accept', async () => {
    const probe = new GatewayProbe();
    const slowTenant: OriginPredicate = (origin) =>
      new Promise((resolve) => setTimeout(() => resolve(origin === 'https://tenant.example'), 100));
    const booted = await boot({
      options: { allowedOrigins: [slowTenant] },
      gateways: [echoGateway(probe, { options: { path: '/ws' } })],
    });
    const socket = expectOpened(
      await openWs(`ws://127.0.0.1:${booted.port}/ws`, 'https://tenant.example'),
    );
    expect(await roundTrip(socket, 'echo', 'hi')).toEqual({ reply: { event: 'echo', data: 'hi' } });
    socket.close();
    expect(await status(booted, [['Origin', 'https://other.example']])).toBe(FORBIDDEN);
  });

  it('refuse with 403 and say why when a predicate fails or times out', async () => {
    const probe = new GatewayProbe();
    const failing: OriginPredicate = async () => {
      throw new Error('tenant database unreachable');
    };
    const hanging: OriginPredicate = () => new Promise<boolean>(() => {});
    const booted = await boot({
      options: { allowedOrigins: [APP], predicates: { timeoutMs: 50 } },
      gateways: [
        echoGateway(probe, {
          name: 'FailingGateway',
          options: { path: '/failing' },
          allowedOrigins: [failing],
        }),
        echoGateway(probe, {
          name: 'HangingGateway',
          options: { path: '/hanging' },
          allowedOrigins: [hanging],
        }),
      ],
    });
    expect(await status(booted, [['Origin', 'https://t.example']], '/failing')).toBe(FORBIDDEN);
    expect(await status(booted, [['Origin', 'https://t.example']], '/hanging')).toBe(FORBIDDEN);
    expect(probe.connections).toBe(0);
    expect(booted.logger.warnings()).toEqual(
      expect.arrayContaining([
        `Refused WebSocket handshake: reason=predicate_failed origin="https://t.example" detail="predicate [function failing] threw: tenant database unreachable" path="/failing" gateway=FailingGateway remoteAddress="127.0.0.1" userAgent=(none)`,
        `Refused WebSocket handshake: reason=predicate_failed origin="https://t.example" detail="predicate [function hanging] timed out after 50 ms" path="/hanging" gateway=HangingGateway remoteAddress="127.0.0.1" userAgent=(none)`,
      ]),
    );
  });

  it('stay healthy when clients reset the connection while a predicate is deciding', async () => {
    const probe = new GatewayProbe();
    const pending: ((answer: boolean) => void)[] = [];
    const slow: OriginPredicate = () => new Promise((resolve) => pending.push(resolve));
    const booted = await boot({
      options: { allowedOrigins: [slow] },
      gateways: [echoGateway(probe, { options: { path: '/ws' } })],
    });
    const sockets = Array.from({ length: 20 }, (_, i) => {
      const socket = connect(booted.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(
        'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://t${i}.example\r\n\r\n`,
      );
      return socket;
    });
    await vi.waitFor(() => expect(pending).toHaveLength(20));
    await Promise.all(
      sockets.map(
        (socket) => new Promise((resolve) => socket.resetAndDestroy().once('close', resolve)),
      ),
    );
    // give the server a moment to see the resets, then let the predicates answer
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const answer of pending) answer(true);
    const opening = openWs(`ws://127.0.0.1:${booted.port}/ws`, 'https://fine.example');
    await vi.waitFor(() => expect(pending).toHaveLength(21));
    pending[20]!(true);
    const outcome = await opening;
    expect(outcome.opened).toBe(true);
    if (outcome.opened) outcome.socket.close();
    // only the client that stayed got a connection
    expect(probe.connections).toBe(1);
  });
});

describe('same-origin behind a proxy', () => {
  const forwarded: [string, string][] = [
    ['Host', 'internal:8080'],
    ['X-Forwarded-Proto', 'https'],
    ['X-Forwarded-Host', 'app.example.com'],
    ['Origin', 'https://app.example.com'],
  ];

  it('ignores X-Forwarded-* without trustProxy', async () => {
    const booted = await boot({
      options: { allowedOrigins: [], sameOrigin: { hosts: ['app.example.com'] } },
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/ws' } })],
    });
    expect(await status(booted, forwarded)).toBe(FORBIDDEN);
  });

  it('uses them when the peer (here loopback) is a trusted proxy', async () => {
    const booted = await boot({
      options: {
        allowedOrigins: [],
        sameOrigin: { hosts: ['app.example.com'] },
        trustProxy: ['loopback'],
      },
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/ws' } })],
    });
    expect(await status(booted, forwarded)).toBe('HTTP/1.1 101 Switching Protocols');
    expect(
      await status(
        booted,
        forwarded.map(([n, v]) => [n, n === 'X-Forwarded-Host' ? 'evil.example' : v]),
      ),
    ).toBe(FORBIDDEN);
  });
});

describe('DI-backed and merged gateway lists', () => {
  @Injectable()
  class TenantStore {
    origins() {
      return Promise.resolve(['https://tenant-a.example', 'https://*.tenant-b.example']);
    }
  }

  @Injectable()
  class TenantOrigins implements OriginsProvider {
    constructor(private readonly store: TenantStore) {}
    getAllowedOrigins() {
      return this.store.origins();
    }
  }

  /** The module allows APP; the gateway on /ws says `@AllowedOrigins(...allowedOrigins)`. */
  function bootWithTenants(allowedOrigins: unknown[]) {
    return boot({
      options: { allowedOrigins: [APP] },
      providers: [TenantStore, TenantOrigins],
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/ws' }, allowedOrigins })],
    });
  }

  it('resolves an OriginsProvider through dependency injection at bootstrap', async () => {
    const booted = await bootWithTenants([TenantOrigins]);
    expect(await status(booted, [['Origin', 'https://tenant-a.example']])).toBe(
      'HTTP/1.1 101 Switching Protocols',
    );
    expect(await status(booted, [['Origin', 'https://x.tenant-b.example']])).toBe(
      'HTTP/1.1 101 Switching Protocols',
    );
    expect(await status(booted, [['Origin', APP]])).toBe(FORBIDDEN);
  });

  it("adds to the module's list with merge: 'extend'", async () => {
    const booted = await bootWithTenants([
      { origins: [TenantOrigins, 'https://partner.example'], merge: 'extend' },
    ]);
    for (const origin of [APP, 'https://tenant-a.example', 'https://partner.example']) {
      expect(await status(booted, [['Origin', origin]])).toBe('HTTP/1.1 101 Switching Protocols');
    }
    expect(await status(booted, [['Origin', 'https://evil.example']])).toBe(FORBIDDEN);
  });

  it('fails at bootstrap when the provider is not registered', async () => {
    await expect(
      bootApp({
        options: { allowedOrigins: [APP] },
        gateways: [
          echoGateway(new GatewayProbe(), {
            name: 'TenantGateway',
            options: { path: '/ws' },
            allowedOrigins: [TenantOrigins],
          }),
        ],
      }),
    ).rejects.toThrow(
      [
        'OriginGuardModule: invalid origin policy (1 problem):',
        '  - @AllowedOrigins() on TenantGateway[0] = [function TenantOrigins]: names the OriginsProvider TenantOrigins, which is not a provider of the application. Fix: add TenantOrigins to the providers of a module.',
      ].join('\n'),
    );
  });
});

describe('onDecision', () => {
  it('receives every handshake decision, and a throwing hook changes nothing', async () => {
    const events: OriginDecisionEvent[] = [];
    const booted = await boot({
      originModule: OriginGuardModule.forRoot({
        allowedOrigins: [APP],
        onDecision: (event) => {
          events.push(event);
          throw new Error('metrics backend down');
        },
      }),
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/ws' } })],
    });
    expect(await status(booted, [['Origin', APP]])).toBe('HTTP/1.1 101 Switching Protocols');
    expect(
      await status(
        booted,
        [
          ['Origin', 'https://evil.example'],
          ['User-Agent', 'Mozilla/5.0 (attacker)'],
        ],
        '/ws?token=secret',
      ),
    ).toBe(FORBIDDEN);
    expect(events).toEqual([
      {
        stage: 'handshake',
        verdict: 'allowed',
        reportOnly: false,
        reason: undefined,
        origin: APP,
        host: `127.0.0.1:${booted.port}`,
        path: '/ws',
        remoteAddress: '127.0.0.1',
        userAgent: undefined,
        gateway: 'EchoGateway',
        matchedEntry: APP,
        detail: undefined,
      },
      {
        stage: 'handshake',
        verdict: 'refused',
        reportOnly: false,
        reason: 'not_allowed',
        origin: 'https://evil.example',
        host: `127.0.0.1:${booted.port}`,
        // the routed path: never the query string the client sent
        path: '/ws',
        remoteAddress: '127.0.0.1',
        userAgent: 'Mozilla/5.0 (attacker)',
        gateway: 'EchoGateway',
        matchedEntry: undefined,
        detail: undefined,
      },
    ]);
    expect(booted.logger.warnings()).toContain(
      'onDecision hook failed ("metrics backend down"); the decision stands.',
    );
  });
});
