import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootedApp, bootForSuite, type HttpPlatform } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest } from '../support/http-request.js';
import { connectIo, type IoTransport, ioRoundTrip, upgraded } from '../support/io-client.js';
import { freePort, rawHandshake } from '../support/net.js';
import {
  FORBIDDEN_POLLING,
  FORBIDDEN_UPGRADE,
  notAllowedLine,
  type SeenClient,
} from '../support/expected.js';

const ALLOWED = 'https://app.example.com';
const EVIL = 'https://evil.example';

function refusalLine(origin: string, path: string, client: SeenClient): string {
  return notAllowedLine(origin, path, 'EchoGateway', client);
}

/**
 * Who the server sees: socket.io-client's polling requests say `User-Agent:
 * node-XMLHttpRequest`, its WebSocket none; a server on its own port listens on every
 * interface and sees IPv4 clients IPv4-mapped.
 */
function clientOf(ownPort: boolean, transports: IoTransport[] | undefined): SeenClient {
  return {
    remoteAddress: ownPort ? '::ffff:127.0.0.1' : '127.0.0.1',
    userAgent: transports?.[0] === 'websocket' ? undefined : 'node-XMLHttpRequest',
  };
}

/** The three ways a `socket.io-client` reaches the server, and the transport it ends up on. */
const transportCases: {
  name: string;
  transports: IoTransport[] | undefined;
  settlesOn: IoTransport;
  refusal: object;
}[] = [
  {
    name: 'websocket only',
    transports: ['websocket'],
    settlesOn: 'websocket',
    refusal: {
      connected: false,
      message: 'websocket error',
      description: 'Unexpected server response: 403',
    },
  },
  {
    name: 'polling only',
    transports: ['polling'],
    settlesOn: 'polling',
    refusal: { connected: false, message: 'xhr poll error', description: 403 },
  },
  {
    name: 'default (polling, then upgrade)',
    transports: undefined,
    settlesOn: 'websocket',
    refusal: { connected: false, message: 'xhr poll error', description: 403 },
  },
];

interface Placement {
  readonly name: string;
  readonly ownPort: boolean;
  /** The gateway's `path` option; the engine serves `${path ?? '/socket.io'}/`. */
  readonly path: string | undefined;
}

const placements: Placement[] = [
  { name: "the app's server, default path", ownPort: false, path: undefined },
  { name: "the app's server, path /io", ownPort: false, path: '/io' },
  { name: 'its own port, default path', ownPort: true, path: undefined },
  { name: 'its own port, path /io', ownPort: true, path: '/io' },
];
const platforms: HttpPlatform[] = ['express', 'fastify'];

describe.each(platforms)('OriginIoAdapter on %s', (platform) => {
  describe.each(placements)('gateway on $name', (placement) => {
    const probe = new GatewayProbe();
    const enginePath = `${placement.path ?? '/socket.io'}/`;
    let booted: BootedApp;
    let port: number;

    beforeAll(async () => {
      const ownPort = placement.ownPort ? await freePort() : 0;
      booted = await bootIoApp({
        platform,
        gateways: [
          echoGateway(probe, {
            port: ownPort,
            // `cors` reflecting every origin: refusals must carry no CORS header all the same.
            options: { path: placement.path, cors: { origin: true, credentials: true } },
          }),
        ],
      });
      port = placement.ownPort ? ownPort : booted.port;
    });
    afterAll(() => booted.app.close());

    describe.each(transportCases)('socket.io-client, $name', (transportCase) => {
      const { transports, settlesOn, refusal } = transportCase;

      it('connects from an allowed origin and echoes', async () => {
        const before = probe.connections;
        const outcome = await connectIo(`http://127.0.0.1:${port}`, {
          origin: ALLOWED,
          transports,
          path: placement.path,
        });
        expect(outcome.connected).toBe(true);
        if (!outcome.connected) return;
        const socket = outcome.socket;
        if (settlesOn === 'websocket') await upgraded(socket);
        expect(socket.io.engine.transport.name).toBe(settlesOn);
        expect(await ioRoundTrip(socket, 'echo', { hello: 'world' })).toEqual({
          reply: { hello: 'world' },
        });
        socket.close();
        expect(probe.connections).toBe(before + 1);
      });

      it('is refused from another origin with 403, and no gateway code runs', async () => {
        const before = probe.counts();
        const outcome = await connectIo(`http://127.0.0.1:${port}`, {
          origin: EVIL,
          transports,
          path: placement.path,
        });
        expect(outcome).toEqual(refusal);
        expect(probe.counts()).toEqual(before);
        expect(booted.logger.warnings()).toContain(
          refusalLine(EVIL, enginePath, clientOf(placement.ownPort, transports)),
        );
      });
    });

    it('answers a refused polling handshake with an exact 403 and no CORS headers', async () => {
      const url = `${enginePath}?EIO=4&transport=polling`;
      expect(await httpRequest(port, 'GET', url, { Origin: EVIL })).toEqual(FORBIDDEN_POLLING);
      // The control: the same request from an allowed origin is served, with the CORS headers.
      const allowed = await httpRequest(port, 'GET', url, { Origin: ALLOWED });
      expect(allowed.statusLine).toBe('HTTP/1.1 200 OK');
      expect(allowed.headers).toContainEqual(['access-control-allow-origin', ALLOWED]);
      expect(allowed.body).toMatch(/^0\{"sid":"[\w-]+"/);
    });

    it('refuses a CORS preflight from another origin with 403 and no CORS headers', async () => {
      const url = `${enginePath}?EIO=4&transport=polling`;
      const preflight = { 'Access-Control-Request-Method': 'POST' };
      expect(await httpRequest(port, 'OPTIONS', url, { Origin: EVIL, ...preflight })).toEqual(
        FORBIDDEN_POLLING,
      );
      const allowed = await httpRequest(port, 'OPTIONS', url, { Origin: ALLOWED, ...preflight });
      expect(allowed.statusLine).toBe('HTTP/1.1 204 No Content');
      expect(allowed.headers).toContainEqual(['access-control-allow-origin', ALLOWED]);
    });

    it('answers a refused WebSocket upgrade with an exact 403 (engine.io would say 400)', async () => {
      const before = probe.counts();
      const response = await rawHandshake(port, `${enginePath}?EIO=4&transport=websocket`, [
        ['Origin', EVIL],
        ['Cookie', 'session=victim'],
      ]);
      expect(response.raw).toBe(FORBIDDEN_UPGRADE);
      expect(response.closedByServer).toBe(true);
      expect(probe.counts()).toEqual(before);
      expect(booted.logger.warnings().join('\n')).not.toMatch(/victim/);
    });

    it('ran afterInit once, at bootstrap, and never for a handshake', () => {
      expect(probe.afterInit).toBe(1);
    });
  });
});

describe('OriginIoAdapter: what counts as an origin', () => {
  const probe = new GatewayProbe();
  const url = '/socket.io/?EIO=4&transport=polling';
  const booted = bootForSuite(() => bootIoApp({ gateways: [echoGateway(probe)] }));

  it('accepts a client without Origin by default (allowMissingOrigin: true)', async () => {
    const outcome = await connectIo(`http://127.0.0.1:${booted.port}`, {
      transports: ['websocket'],
    });
    expect(outcome.connected).toBe(true);
    if (outcome.connected) outcome.socket.close();
  });

  it("refuses Origin: null when 'null' is not listed", async () => {
    expect(await httpRequest(booted.port, 'GET', url, { Origin: 'null' })).toEqual(
      FORBIDDEN_POLLING,
    );
    expect(booted.logger.warnings()).toContain(
      'Refused WebSocket handshake: reason=null origin="null" path="/socket.io/" gateway=EchoGateway remoteAddress="127.0.0.1" userAgent=(none)',
    );
  });

  it('refuses a value a lenient URL parser would repair into an allowed origin', async () => {
    const before = probe.connections;
    expect(
      await httpRequest(booted.port, 'GET', url, { Origin: `${ALLOWED}@evil.example` }),
    ).toEqual(FORBIDDEN_POLLING);
    expect(probe.connections).toBe(before);
  });
});

describe('OriginIoAdapter with allowMissingOrigin: false', () => {
  const probe = new GatewayProbe();
  const booted = bootForSuite(() =>
    bootIoApp({
      options: { allowedOrigins: [ALLOWED], allowMissingOrigin: false },
      gateways: [echoGateway(probe)],
    }),
  );

  it('refuses a client without Origin, on both transports', async () => {
    const base = `http://127.0.0.1:${booted.port}`;
    expect(await connectIo(base, { transports: ['websocket'] })).toEqual({
      connected: false,
      message: 'websocket error',
      description: 'Unexpected server response: 403',
    });
    expect(await connectIo(base, { transports: ['polling'] })).toEqual({
      connected: false,
      message: 'xhr poll error',
      description: 403,
    });
    expect(probe.connections).toBe(0);
  });
});
