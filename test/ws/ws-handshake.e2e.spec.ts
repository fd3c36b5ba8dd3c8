import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp, bootForSuite, type HttpPlatform } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import {
  browserWithoutOriginLine,
  clientFields,
  FORBIDDEN_UPGRADE,
  LOOPBACK,
  type SeenClient,
} from '../support/expected.js';
import { freePort, openWs, rawHandshake, roundTrip } from '../support/net.js';

const ALLOWED = 'https://app.example.com';

function refusalLine(
  reason: string,
  origin: string,
  path: string,
  detail?: string,
  client: SeenClient = LOOPBACK,
): string {
  const shown =
    (origin === '(none)' ? origin : `"${origin}"`) + (detail ? ` detail="${detail}"` : '');
  const hint =
    reason === 'not_allowed'
      ? `. If this page is yours, add '${origin}' to the allowed origins.`
      : reason === 'missing'
        ? '. Non-browser clients send no Origin; set allowMissingOrigin: true to accept them.'
        : '';
  return `Refused WebSocket handshake: reason=${reason} origin=${shown} path="${path}" gateway=EchoGateway${clientFields(client)}${hint}`;
}

type Placement = 'app server' | 'own port with path' | 'own port without path';
const placements: Placement[] = ['app server', 'own port with path', 'own port without path'];
const platforms: HttpPlatform[] = ['express', 'fastify'];

describe.each(platforms)('OriginWsAdapter on %s', (platform) => {
  describe.each(placements)('gateway on the %s', (placement) => {
    const probe = new GatewayProbe();
    let booted: BootedApp;
    let port: number;
    let path: string;

    beforeAll(async () => {
      const ownPort = placement === 'app server' ? 0 : await freePort();
      path = placement === 'own port without path' ? '/any/path' : '/ws';
      const options = placement === 'own port without path' ? {} : { path: '/ws' };
      booted = await bootApp({
        platform,
        gateways: [echoGateway(probe, { port: ownPort, options })],
      });
      port = placement === 'app server' ? booted.port : ownPort;
    });
    afterAll(() => booted.app.close());

    it('accepts an allowed origin: 101, then an echo round trip', async () => {
      const before = probe.connections;
      const outcome = await openWs(`ws://127.0.0.1:${port}${path}`, ALLOWED);
      expect(outcome.opened).toBe(true);
      if (!outcome.opened) return;
      expect(await roundTrip(outcome.socket, 'echo', { hello: 'world' })).toEqual({
        reply: { event: 'echo', data: { hello: 'world' } },
      });
      outcome.socket.close();
      expect(probe.connections).toBe(before + 1);
    });

    it('refuses another origin with an exact 403 before any gateway code runs', async () => {
      const before = probe.counts();
      const response = await rawHandshake(port, `${path}?token=secret`, [
        ['Origin', 'https://evil.example'],
        ['Cookie', 'session=victim'],
      ]);
      expect(response.raw).toBe(FORBIDDEN_UPGRADE);
      expect(response.closedByServer).toBe(true);
      expect(probe.counts()).toEqual(before);
      // The log names the path the gateway is routed by, not the one requested; a server on
      // its own port listens on every interface, so it sees IPv4 clients IPv4-mapped.
      const routed = placement === 'own port without path' ? '*' : '/ws';
      const client =
        placement === 'app server' ? LOOPBACK : { ...LOOPBACK, remoteAddress: '::ffff:127.0.0.1' };
      expect(booted.logger.warnings()).toContain(
        refusalLine('not_allowed', 'https://evil.example', routed, undefined, client),
      );
      expect(booted.logger.warnings().join('\n')).not.toMatch(/secret|victim/);
    });

    it('refuses a ws client, which sees status 403', async () => {
      const outcome = await openWs(`ws://127.0.0.1:${port}${path}`, 'http://app.example.com');
      expect(outcome).toEqual({ opened: false, statusCode: 403 });
    });

    it('ran afterInit once, at bootstrap, and never for a handshake', () => {
      expect(probe.afterInit).toBe(1);
    });
  });
});

describe('OriginWsAdapter: what counts as an origin', () => {
  const probe = new GatewayProbe();
  const path = '/ws';
  const booted = bootForSuite(() =>
    bootApp({ gateways: [echoGateway(probe, { options: { path } })] }),
  );

  async function expectRefused(
    headers: [string, string][],
    expected: { reason: string; origin: string; detail?: string; version?: string },
  ) {
    const before = probe.connections;
    const response = await rawHandshake(booted.port, path, headers, { version: expected.version });
    expect(response.raw).toBe(FORBIDDEN_UPGRADE);
    expect(probe.connections).toBe(before);
    expect(booted.logger.warnings()).toContain(
      refusalLine(expected.reason, expected.origin, path, expected.detail),
    );
  }

  it('accepts a missing Origin by default (allowMissingOrigin: true)', async () => {
    const response = await rawHandshake(booted.port, path, []);
    expect(response.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('refuses a missing Origin when Fetch Metadata shows a cross-site browser request', async () => {
    const before = probe.connections;
    const response = await rawHandshake(booted.port, path, [
      ['Sec-Fetch-Site', 'cross-site'],
      ['Sec-Fetch-Mode', 'websocket'],
    ]);
    expect(response.raw).toBe(FORBIDDEN_UPGRADE);
    expect(probe.connections).toBe(before);
    expect(booted.logger.warnings()).toContain(
      browserWithoutOriginLine(
        'Sec-Fetch-Site: cross-site, Sec-Fetch-Mode: websocket',
        path,
        'EchoGateway',
      ),
    );
  });

  it("refuses Origin: null (sandboxed iframes, file: pages) when 'null' is not listed", async () => {
    await expectRefused([['Origin', 'null']], { reason: 'null', origin: 'null' });
  });

  it('refuses two Origin lines even when both are allowed', async () => {
    await expectRefused(
      [
        ['Origin', ALLOWED],
        ['Origin', ALLOWED],
      ],
      { reason: 'duplicate', origin: `${ALLOWED}, ${ALLOWED}` },
    );
  });

  it('refuses a comma-joined list in one Origin line', async () => {
    await expectRefused([['Origin', `${ALLOWED}, https://evil.example`]], {
      reason: 'malformed',
      origin: `${ALLOWED}, https://evil.example`,
      detail: 'contains whitespace',
    });
  });

  it('refuses values a lenient URL parser would repair', async () => {
    await expectRefused([['Origin', 'https://app.example.com@evil.example']], {
      reason: 'malformed',
      origin: 'https://app.example.com@evil.example',
      detail: 'contains userinfo (user@)',
    });
    await expectRefused([['Origin', 'https://app%2Eexample.com']], {
      reason: 'malformed',
      origin: 'https://app%2Eexample.com',
      detail: 'contains a percent-escape',
    });
  });

  it('refuses an 8 KB Origin and logs it truncated', async () => {
    const huge = `https://${'a'.repeat(8192)}.example.com`;
    const response = await rawHandshake(booted.port, path, [['Origin', huge]]);
    expect(response.raw).toBe(FORBIDDEN_UPGRADE);
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket handshake: reason=malformed origin="https://${'a'.repeat(112)}"…(8212 chars) detail="is longer than 512 characters" path="/ws" gateway=EchoGateway remoteAddress="127.0.0.1" userAgent=(none)`,
    );
  });

  describe('Sec-WebSocket-Version: 8, where ws reads Sec-WebSocket-Origin instead of Origin', () => {
    it('refuses an evil Sec-WebSocket-Origin hidden behind an allowed Origin', async () => {
      await expectRefused(
        [
          ['Origin', ALLOWED],
          ['Sec-WebSocket-Origin', 'https://evil.example'],
        ],
        { reason: 'duplicate', origin: `${ALLOWED}, https://evil.example`, version: '8' },
      );
    });

    it('checks Sec-WebSocket-Origin when it is the only claim', async () => {
      await expectRefused([['Sec-WebSocket-Origin', 'https://evil2.example']], {
        reason: 'not_allowed',
        origin: 'https://evil2.example',
        version: '8',
      });
      const response = await rawHandshake(booted.port, path, [['Sec-WebSocket-Origin', ALLOWED]], {
        version: '8',
      });
      expect(response.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
    });
  });

  it('stays healthy when clients reset the connection in the middle of a refusal', async () => {
    const request =
      `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://rst.example\r\n\r\n';
    await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect(booted.port, '127.0.0.1', () => {
              socket.write(request);
              socket.resetAndDestroy();
            });
            socket.on('close', () => resolve());
            socket.on('error', () => resolve());
          }),
      ),
    );
    const outcome = await openWs(`ws://127.0.0.1:${booted.port}${path}`, ALLOWED);
    expect(outcome.opened).toBe(true);
    if (outcome.opened) outcome.socket.close();
  });
});

describe('OriginWsAdapter with allowMissingOrigin: false', () => {
  const probe = new GatewayProbe();
  const booted = bootForSuite(() =>
    bootApp({
      options: { allowedOrigins: [ALLOWED], allowMissingOrigin: false },
      gateways: [echoGateway(probe, { options: { path: '/ws' } })],
    }),
  );

  it('refuses a handshake without Origin and says how to accept such clients', async () => {
    const response = await rawHandshake(booted.port, '/ws', []);
    expect(response.raw).toBe(FORBIDDEN_UPGRADE);
    expect(probe.connections).toBe(0);
    expect(booted.logger.warnings()).toEqual([refusalLine('missing', '(none)', '/ws')]);
  });
});

describe('OriginWsAdapter log lines, for operators', () => {
  const probe = new GatewayProbe();
  const booted = bootForSuite(() =>
    bootApp({
      options: { allowedOrigins: [ALLOWED] },
      gateways: [echoGateway(probe, { options: { path: '/ws' } })],
    }),
  );

  it('name the routed path, not an absolute-form request target, and the client', async () => {
    const response = await rawHandshake(booted.port, 'http://evil.example/ws?token=secret', [
      ['Origin', 'https://evil.example'],
      ['User-Agent', 'Mozilla/5.0 "quoted"\ttab'],
    ]);
    expect(response.raw).toBe(FORBIDDEN_UPGRADE);
    expect(booted.logger.warnings()).toEqual([
      `Refused WebSocket handshake: reason=not_allowed origin="https://evil.example" path="/ws" gateway=EchoGateway remoteAddress="127.0.0.1" userAgent="Mozilla/5.0 \\"quoted\\"\\x09tab". If this page is yours, add 'https://evil.example' to the allowed origins.`,
    ]);
  });
});
