import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BootedApp } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { BroadcastProbe, broadcastGateway } from '../support/broadcast-gateway.js';
import { httpRequest, sidOf } from '../support/http-request.js';
import type { IoTransport } from '../support/io-client.js';
import { openFrameClient } from '../support/ws-frames.js';

const A = 'https://a.example';
const B = 'https://b.example';
const POLLING = '/socket.io/?EIO=4&transport=polling';
const TEXT = { 'Content-Type': 'text/plain;charset=UTF-8' };
/** What the namespace middleware's refusal is on the wire (EIO4): a CONNECT_ERROR to `/x`. */
const REFUSED_X = '44/x,{"message":"Origin not allowed"}';

/**
 * Connection state recovery (socket.io 4.6+): a client that lost its transport sends its
 * session's `pid` and the `offset` of the last packet it received in its next CONNECT, and the
 * server replays the packets it missed (in the `Socket` constructor, before any middleware)
 * and, with `skipMiddlewares`, connects it without running namespace middleware at all.
 *
 * Two namespaces on one engine: `/x` allows only A, `/y` only B, so the engine (the union)
 * lets both origins through and only `/x`'s own check can keep B out of `/x`.
 */
describe.each([
  { skipMiddlewares: true, label: 'skipMiddlewares: true (the default)' },
  { skipMiddlewares: false, label: 'skipMiddlewares: false' },
])('OriginIoAdapter and connection state recovery, $label', ({ skipMiddlewares }) => {
  const recovery = { maxDisconnectionDuration: 60_000, skipMiddlewares };
  let booted: BootedApp;
  let base: string;
  let x: BroadcastProbe;
  let y: BroadcastProbe;
  const clients: Socket[] = [];

  beforeEach(async () => {
    x = new BroadcastProbe();
    y = new BroadcastProbe();
    booted = await bootIoApp({
      options: { allowedOrigins: ['https://app.example.com'] },
      gateways: [
        // Both carry the server option: whichever Nest creates first starts the engine.
        broadcastGateway(x, {
          name: 'XGateway',
          options: { namespace: '/x', connectionStateRecovery: recovery },
          allowedOrigins: [A],
        }),
        broadcastGateway(y, {
          name: 'YGateway',
          options: { namespace: '/y', connectionStateRecovery: recovery },
          allowedOrigins: [B],
        }),
      ],
    });
    base = `http://127.0.0.1:${booted.port}`;
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await booted.app.close();
  });

  /** A real client of `/x` that reconnects only when told to, so the test owns the timing. */
  function clientOf(origin: string, transports?: IoTransport[]): Socket {
    const socket = io(`${base}/x`, {
      forceNew: true,
      reconnection: false,
      transports,
      extraHeaders: { Origin: origin },
    });
    clients.push(socket);
    return socket;
  }

  function connected(socket: Socket): Promise<void> {
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  }

  /** Every `event` the socket receives, in order. */
  function collect(socket: Socket, event: string): unknown[] {
    const received: unknown[] = [];
    socket.on(event, (payload: unknown) => received.push(payload));
    return received;
  }

  /**
   * Client A joins `/x`, receives one broadcast (which gives it an offset), loses its
   * transport, and misses a `secret` broadcast. Returns A, with its recovery data.
   */
  async function victimAway(transports?: IoTransport[]) {
    const victim = clientOf(A, transports);
    await connected(victim);
    expect(victim.recovered).toBe(false);
    const hello = new Promise<void>((resolve) => victim.once('hello', () => resolve()));
    x.namespace.emit('hello', 'before');
    await hello;
    const secrets = collect(victim, 'secret');
    const disconnections = x.disconnections;
    victim.io.engine.close();
    await x.disconnected(disconnections + 1);
    x.namespace.emit('secret', 'for A only');
    const internals = victim as unknown as { _pid?: string; _lastOffset?: string };
    const pid = internals._pid;
    const offset = internals._lastOffset;
    expect(typeof pid).toBe('string');
    expect(typeof offset).toBe('string');
    return { victim, secrets, pid: pid!, offset: offset! };
  }

  async function recover(victim: Socket): Promise<void> {
    const back = connected(victim);
    victim.connect();
    await back;
  }

  describe.each([
    { name: 'websocket only', transports: ['websocket'] as IoTransport[] },
    { name: 'polling only', transports: ['polling'] as IoTransport[] },
    { name: 'default transports', transports: undefined },
  ])('legitimate recovery, $name', ({ transports }) => {
    it('restores the session of an allowed origin and replays what it missed', async () => {
      const { victim, secrets } = await victimAway(transports);
      const connections = x.connections;
      await recover(victim);
      expect(victim.recovered).toBe(true);
      expect(secrets).toEqual(['for A only']);
      expect(x.connections).toBe(connections + 1);
    });
  });

  describe("another origin recovering A's session into /x", () => {
    it('over polling: gets "Origin not allowed", never the missed packet', async () => {
      const { victim, secrets, pid, offset } = await victimAway(['websocket']);
      const connections = x.connections;

      const handshake = await httpRequest(booted.port, 'GET', POLLING, { Origin: B });
      expect(handshake.statusLine).toBe('HTTP/1.1 200 OK');
      const url = `${POLLING}&sid=${sidOf(handshake.body)}`;
      const connect = `40/x,${JSON.stringify({ pid, offset })}`;
      const post = await httpRequest(booted.port, 'POST', url, { Origin: B, ...TEXT }, connect);
      expect(post.body).toBe('ok');
      const poll = await httpRequest(booted.port, 'GET', url, { Origin: B });
      expect(poll.statusLine).toBe('HTTP/1.1 200 OK');
      expect(poll.body).toBe(REFUSED_X);
      expect(poll.body).not.toContain('secret');
      expect(x.connections).toBe(connections);

      // The session is still A's to recover, with the packet it missed.
      await recover(victim);
      expect(victim.recovered).toBe(true);
      expect(secrets).toEqual(['for A only']);
      expect(x.connections).toBe(connections + 1);
    });

    it('over WebSocket: gets "Origin not allowed", never the missed packet', async () => {
      const { victim, secrets, pid, offset } = await victimAway(['polling']);
      const connections = x.connections;

      const ws = await openFrameClient(
        `ws://127.0.0.1:${booted.port}/socket.io/?EIO=4&transport=websocket`,
        B,
      );
      expect(await ws.frame(0)).toMatch(/^0\{"sid":"[\w-]+",/);
      ws.socket.send(`40/x,${JSON.stringify({ pid, offset })}`);
      expect(await ws.frame(1)).toBe(REFUSED_X);
      ws.socket.terminate();
      expect(ws.frames).toHaveLength(2);
      expect(x.connections).toBe(connections);

      await recover(victim);
      expect(victim.recovered).toBe(true);
      expect(secrets).toEqual(['for A only']);
    });

    it('a real client from B, handed A’s pid and offset, is refused and not recovered', async () => {
      const { pid, offset } = await victimAway(['websocket']);
      const connections = x.connections;
      const attacker = clientOf(B, ['websocket']);
      // What socket.io-client sends on reconnection: `{ pid, offset, ...auth }`.
      attacker.auth = { pid, offset };
      // Every packet the client decodes: replayed events are buffered until CONNECT, so a
      // listener of `secret` would not see one that came before a refusal.
      const packets: { type: number; nsp: string; data?: unknown }[] = [];
      attacker.io.on('packet', (packet) => packets.push(packet));
      const outcome = await new Promise<string>((resolve) => {
        attacker.once('connect', () => resolve('connected'));
        attacker.once('connect_error', (error) => resolve(error.message));
      });
      expect(outcome).toBe('Origin not allowed');
      expect(attacker.recovered).toBe(false);
      // CONNECT_ERROR (4) only.
      expect(packets).toEqual([{ type: 4, nsp: '/x', data: { message: 'Origin not allowed' } }]);
      expect(x.connections).toBe(connections);
    });
  });

  it("B's own namespace still works, over the same engine", async () => {
    const socket = io(`${base}/y`, {
      forceNew: true,
      reconnection: false,
      transports: ['websocket'],
      extraHeaders: { Origin: B },
    });
    clients.push(socket);
    await connected(socket);
    expect(y.connections).toBe(1);
  });
});
