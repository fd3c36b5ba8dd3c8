import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  connectNamespace,
  type EngineConnection,
  tagTransportRequests,
  takeConnectCarrier,
  trackConnectCarriers,
} from './connect-carriers.js';

describe('connectNamespace: the namespace of a CONNECT packet, as Socket.IO reads it', () => {
  it.each([
    ['0', 4, '/'],
    ['0{"token":"x"}', 4, '/'],
    ['0/admin', 4, '/admin'],
    ['0/admin,{"token":"x"}', 4, '/admin'],
    ['0/admin,', 4, '/admin'],
    // Engine.io 4 clients carry auth in the payload; a query is part of the name.
    ['0/admin?x=1,', 4, '/admin?x=1'],
    // Engine.io 3 (socket.io-client 2) clients add a query, which Socket.IO strips.
    ['0/admin?token=1', 3, '/admin'],
    ['0/admin?token=1,', 3, '/admin'],
    ['0/admin#x', 3, '/admin'],
    ['0', 3, '/'],
    // Socket.IO keeps the WHATWG URL path, which resolves dot segments and backslashes.
    ['0/%2e,', 3, '/'],
    ['0/x/..,', 3, '/'],
    ['0/\\evil,', 3, '/'],
    ['0/wide/../strict,', 3, '/strict'],
    // Not a path WHATWG URL can parse: kept as written, a name no namespace has.
    ['0//[,', 3, '//['],
  ])('%s (EIO%s) → %s', (data, protocol, namespace) => {
    expect(connectNamespace(data, protocol)).toBe(namespace);
  });
});

/** A request, told apart by identity only. */
const request = (name: string) => ({ url: name }) as IncomingMessage;

type PacketListener = (this: unknown, packet: { type: string; data?: unknown }) => void;

/** An engine.io connection as far as the carrier tracking reads it. */
function connection(
  protocol: number,
  transport: { name: string; dataReq?: IncomingMessage | null },
) {
  let listener: PacketListener | undefined;
  const conn = {
    protocol,
    request: request('handshake'),
    transport,
    on(_event: 'packet', packetListener: PacketListener) {
      listener = packetListener;
    },
  };
  return {
    conn: conn as EngineConnection & { transport: typeof transport },
    // As an emitter calls its listeners: with itself as `this`.
    packet: (type: string, data: unknown) => listener!.call(conn, { type, data }),
  };
}

describe('takeConnectCarrier: the request that carried a CONNECT', () => {
  it('is the polling POST being read when the CONNECT arrived, taken once', () => {
    const post = request('POST 1');
    const { conn, packet } = connection(4, { name: 'polling', dataReq: post });
    trackConnectCarriers(conn);
    packet('message', '0/admin,{"token":"x"}');
    conn.transport.dataReq = request('POST 2');
    expect(takeConnectCarrier(conn, '/admin')).toBe(post);
    expect(takeConnectCarrier(conn, '/admin')).toBeUndefined();
  });

  it('is unknown for a polling CONNECT without a POST being read', () => {
    const { conn, packet } = connection(3, { name: 'polling', dataReq: null });
    trackConnectCarriers(conn);
    packet('message', '0');
    // Not the handshake: once tracking runs, only a recorded carrier counts.
    expect(takeConnectCarrier(conn, '/')).toBeUndefined();
  });

  it('is the upgrade request a WebSocket transport was created for', () => {
    const created: { name: string; req: IncomingMessage; engine: unknown; transport: object }[] =
      [];
    const engine = {
      createTransport(this: unknown, name: string, req: IncomingMessage): object {
        const transport = { name };
        created.push({ name, req, engine: this, transport });
        return transport;
      },
    };
    tagTransportRequests(engine);
    const upgrade = request('upgrade');
    const transport = engine.createTransport('websocket', upgrade) as { name: string };
    // Engine.io's own createTransport still runs, on the engine, and its transport is used.
    expect(created).toEqual([{ name: 'websocket', req: upgrade, engine, transport }]);
    expect(created[0]!.transport).toBe(transport);

    const { conn, packet } = connection(4, transport);
    trackConnectCarriers(conn);
    packet('message', '0/admin,');
    expect(takeConnectCarrier(conn, '/admin')).toBe(upgrade);
  });

  it('is not tagged on polling transports, which engine.io keeps 30 s after they close', () => {
    const engine = { createTransport: (name: string, _req: IncomingMessage) => ({ name }) };
    tagTransportRequests(engine);
    const polling = engine.createTransport('polling', request('handshake'));
    expect(Object.getOwnPropertySymbols(polling)).toEqual([]);
    const websocket = engine.createTransport('websocket', request('upgrade'));
    expect(Object.getOwnPropertySymbols(websocket)).toHaveLength(1);
  });

  it('is unknown for a WebSocket transport that was never tagged', () => {
    const { conn, packet } = connection(4, { name: 'websocket' });
    trackConnectCarriers(conn);
    packet('message', '0/admin,');
    expect(takeConnectCarrier(conn, '/admin')).toBeUndefined();
  });

  it.each<[string, string, unknown]>([
    ['an EVENT packet', 'message', '2/admin,["join"]'],
    ['a DISCONNECT packet', 'message', '1/admin,'],
    ['an engine.io ping carrying CONNECT-like text', 'ping', '0/admin,'],
    ['a binary message', 'message', Buffer.from('0/admin,')],
    ['an empty message', 'message', ''],
  ])('is not recorded from %s', (_, type, data) => {
    const { conn, packet } = connection(4, { name: 'polling', dataReq: request('POST') });
    trackConnectCarriers(conn);
    packet(type, data);
    expect(takeConnectCarrier(conn, '/admin')).toBeUndefined();
  });

  it('keeps at most 16 pending CONNECTs: the 17th clears the others', () => {
    const post = request('POST');
    const { conn, packet } = connection(4, { name: 'polling', dataReq: post });
    trackConnectCarriers(conn);
    const names = Array.from({ length: 17 }, (_, i) => `/n${i}`);
    for (const name of names.slice(0, 16)) packet('message', `0${name},`);
    expect(names.slice(0, 16).map((name) => takeConnectCarrier(conn, name))).toEqual(
      Array.from({ length: 16 }, () => post),
    );

    for (const name of names) packet('message', `0${name},`);
    expect(names.map((name) => takeConnectCarrier(conn, name) === post)).toEqual([
      ...Array.from({ length: 16 }, () => false),
      true,
    ]);
  });

  it('is unknown for a tracked EIO3 main-namespace join without a recorded CONNECT', () => {
    const { conn, packet } = connection(3, { name: 'polling', dataReq: request('POST') });
    trackConnectCarriers(conn);
    // Never the handshake: a CONNECT this parse missed fails closed, and so does a second
    // join on a carrier already taken.
    expect(takeConnectCarrier(conn, '/')).toBeUndefined();
    packet('message', '0');
    expect(takeConnectCarrier(conn, '/')?.url).toBe('POST');
    expect(takeConnectCarrier(conn, '/')).toBeUndefined();
  });

  it.each<[number, string, string | undefined]>([
    // An engine.io 3 client's automatic join of the main namespace comes before tracking.
    [3, '/', 'handshake'],
    [3, '/admin', undefined],
    [4, '/', undefined],
  ])('untracked, EIO%s joining %s: %s', (protocol, namespace, carrier) => {
    const { conn } = connection(protocol, { name: 'polling', dataReq: request('POST') });
    expect(takeConnectCarrier(conn, namespace)?.url).toBe(carrier);
  });
});
