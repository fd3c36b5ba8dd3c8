import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OriginGuardModule } from '../../src/index.js';
import { MAX_PROBE_REQUESTS, ProbeError, probeOrigins } from '../../src/testing/index.js';
import { bootApp, bootForSuite } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { freePort } from '../support/net.js';
import { bootTlsWsEchoApp, bootWsEchoApp } from './probe-apps.js';

// probeOrigins() from nestjs-origin-guard/testing, in-process, as a user's e2e test calls it.

const ALLOWED = 'https://app.example.com';

/** The hostile ws variants derived from https://app.example.com, as `report.accepted` names them. */
const HOSTILE_WS = [
  'other site',
  'sibling subdomain',
  'parent domain',
  'suffix confusion',
  'prefix confusion',
  'same-ending domain',
  'scheme downgrade',
  'other port',
  'userinfo before host',
  'host before userinfo',
  'trailing dot',
  'IDN lookalike',
  'full-width letter',
  'null origin',
  'duplicate Origin',
  'ws version 8',
  'Fetch Metadata cross-site',
  'Fetch Metadata same-site',
].map((label) => `${label} (upgrade)`);

describe('probeOrigins(app) on a guarded Nest app', () => {
  const probe = new GatewayProbe();
  const booted = bootForSuite(() => bootWsEchoApp({}, probe));

  it('finds no hostile origin that gets through', async () => {
    const report = await probeOrigins(booted.app, { path: '/ws', allowed: [ALLOWED] });
    expect(report.accepted).toEqual([]);
    expect(report).toMatchObject({
      outcome: 'safe',
      exitCode: 0,
      url: `ws://127.0.0.1:${booted.port}/ws`,
      requests: 21,
    });
    // Each accepted handshake (the allowed origin, upper case, no Origin) reached the gateway
    // and got only a close frame: no message was ever sent.
    expect(probe.connections).toBe(3);
    expect(probe.messages).toBe(0);
  });

  it('takes a URL as well', async () => {
    const report = await probeOrigins(`ws://127.0.0.1:${booted.port}/ws`, { allowed: [ALLOWED] });
    expect(report.accepted).toEqual([]);
  });

  it('rejects with a ProbeError when the allowed origin is not accepted (a wrong path is not "safe")', async () => {
    const error = await probeOrigins(booted.app, {
      path: '/no-gateway-here',
      allowed: [ALLOWED],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProbeError);
    expect((error as ProbeError).report).toMatchObject({
      outcome: 'not-probed',
      exitCode: 2,
      requests: 1,
    });
  });
});

describe('probeOrigins(app) on a guarded Nest app over HTTPS', () => {
  const booted = bootForSuite(() => bootTlsWsEchoApp());

  it('speaks TLS to an HTTPS server (insecure: true for its self-signed certificate)', async () => {
    const report = await probeOrigins(booted.app, {
      path: '/ws',
      allowed: [ALLOWED],
      insecure: true,
    });
    expect(report.url).toBe(`wss://127.0.0.1:${booted.port}/ws`);
    expect(report.accepted).toEqual([]);
    expect(report.outcome).toBe('safe');
  });
});

describe('probeOrigins(app) on an unguarded Nest app', () => {
  const booted = bootForSuite(() => bootWsEchoApp({ adapter: 'unprotected' }));

  it('names every hostile variant that got through', async () => {
    const report = await probeOrigins(booted.app, { path: '/ws', allowed: [ALLOWED] });
    expect(report.accepted).toEqual(HOSTILE_WS);
    expect(report).toMatchObject({ outcome: 'vulnerable', exitCode: 1 });
  });
});

describe('probeOrigins(app, { transport: "socket.io" })', () => {
  const booted = bootForSuite(() =>
    bootApp({ transport: 'socket.io', gateways: [echoGateway(new GatewayProbe())] }),
  );

  it('finds no hostile engine.io request that gets through the guarded adapter', async () => {
    const report = await probeOrigins(booted.app, { transport: 'socket.io', allowed: [ALLOWED] });
    expect(report.accepted).toEqual([]);
    expect(report.requests).toBe(48);
  });
});

describe('probeOrigins: endpoints that cannot be probed', () => {
  it('rejects for a closed port', async () => {
    const port = await freePort();
    await expect(probeOrigins(`ws://127.0.0.1:${port}/ws`, { allowed: [ALLOWED] })).rejects.toThrow(
      `NOT PROBED: no connection: connect ECONNREFUSED 127.0.0.1:${port} (ws://127.0.0.1:${port}/ws, 1 request sent).`,
    );
  });

  it('rejects for an app that is not listening yet', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [OriginGuardModule.forRoot({ allowedOrigins: [ALLOWED] })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await expect(probeOrigins(app, { allowed: [ALLOWED] })).rejects.toThrow(
        'The app is not listening on a TCP port: call `await app.listen(0)` before probing it.',
      );
    } finally {
      await app.close();
    }
  });

  it('rejects for a server that never answers, after the per-request timeout', async () => {
    const held = new Set<Socket>();
    const server = createTcpServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(
        probeOrigins(`ws://127.0.0.1:${port}/ws`, { allowed: [ALLOWED], timeoutMs: 300 }),
      ).rejects.toThrow(
        `NOT PROBED: the allowed origin ${ALLOWED} was not accepted (upgrade: no answer in 300 ms), so refusals would prove nothing`,
      );
      expect(held.size).toBe(1);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/**
 * A WebSocket endpoint, raw, that accepts every handshake and records what the probe did to
 * it: requests, how many were in progress at once, the close codes received and any other
 * frame. A request is in progress from its head until the client's close frame (the probe
 * waits for the answer, then for the server's close frame, before its next request), so the
 * count does not depend on when the server notices a connection has gone.
 */
class RecordingEndpoint {
  private readonly server = createTcpServer((socket) => this.serve(socket));
  private readonly sockets = new Set<Socket>();
  requests = 0;
  busy = 0;
  maxBusy = 0;
  otherFrames = 0;
  readonly closeCodes: number[] = [];

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let data = Buffer.alloc(0);
    let upgraded = false;
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (!upgraded) {
        const end = data.indexOf('\r\n\r\n');
        if (end === -1) return;
        upgraded = true;
        this.requests++;
        this.maxBusy = Math.max(this.maxBusy, ++this.busy);
        data = data.subarray(end + 4);
        socket.write(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
        );
      }
      // Client frames are masked: 2 bytes, 4 of mask, then a payload of at most 125 bytes here.
      while (data.length >= 6 && data.length >= 6 + (data[1]! & 0x7f)) {
        const length = data[1]! & 0x7f;
        const payload = Buffer.from(
          data.subarray(6, 6 + length).map((byte, i) => byte ^ data[2 + (i % 4)]!),
        );
        const opcode = data[0]! & 0x0f;
        data = data.subarray(6 + length);
        if (opcode !== 0x8) {
          this.otherFrames++;
          continue;
        }
        this.closeCodes.push(payload.readUInt16BE(0));
        this.busy--;
        socket.end(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
      }
    });
  }
}

describe('probeOrigins is safe by construction', () => {
  let recording: RecordingEndpoint;
  let port: number;
  beforeAll(async () => {
    recording = new RecordingEndpoint();
    port = await recording.start();
  });
  afterAll(() => recording.stop());

  it('sends one request at a time, and after each accepted handshake only a close frame (1000)', async () => {
    const report = await probeOrigins(`ws://127.0.0.1:${port}/`, { allowed: [ALLOWED] });
    expect(report.requests).toBe(21);
    expect(recording.requests).toBe(21);
    expect(recording.maxBusy).toBe(1);
    expect(recording.otherFrames).toBe(0);
    // Every handshake this endpoint accepted (all of them) ended with the probe's close frame.
    expect(recording.closeCodes).toEqual(Array.from({ length: 21 }, () => 1000));
  });

  it('keeps to the concurrency it is given', async () => {
    await probeOrigins(`ws://127.0.0.1:${port}/`, { allowed: [ALLOWED], concurrency: 3 });
    expect(recording.maxBusy).toBeLessThanOrEqual(3);
    expect(recording.busy).toBe(0);
  });

  it(`refuses a run of more than ${MAX_PROBE_REQUESTS} requests before sending any`, async () => {
    const before = recording.requests;
    const allowed = Array.from({ length: 20 }, (_, i) => `https://app${i}.example.com`);
    await expect(probeOrigins(`ws://127.0.0.1:${port}/`, { allowed })).rejects.toThrow(
      /^20 allowed origins need 2\d\d requests, more than the bound of 200: probe fewer at a time\.$/,
    );
    expect(recording.requests).toBe(before);
  });
});
