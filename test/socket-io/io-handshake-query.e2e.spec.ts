import type { Server } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import type { Socket } from 'socket.io';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { describe, expect, it } from 'vitest';
import { bootIoApp } from '../support/boot-socket-io.js';
import { closeAfterEach } from '../support/close-after-each.js';
import type { IoTransport } from '../support/io-client.js';

const ALLOWED = 'https://app.example.com';

/**
 * `OriginIoAdapter` hands engine.io the plain queries of the requests it lets through already
 * parsed (`src/socket-io/engine-query.ts`). What a gateway reads of them,
 * `socket.handshake.query`, must be what Nest's `IoAdapter` gives it, plain query or not; and
 * engine.io must find the plain ones parsed (else the preset is not wired in).
 */
interface Seen {
  /** Per connection: the handshake query, and whether its object has `Object.prototype`. */
  readonly queries: { entries: [string, unknown][]; plainObject: boolean }[];
  /** Per request engine.io prepared: whether `_query` was already set. */
  readonly preparedBefore: boolean[];
}

function queryGateway(seen: Seen): Function {
  @WebSocketGateway()
  class QueryGateway implements OnGatewayInit, OnGatewayConnection {
    afterInit(server: Server): void {
      const engine = server.engine as unknown as { prepare(req: { _query?: unknown }): void };
      const prepare = engine.prepare.bind(engine);
      engine.prepare = (req) => {
        seen.preparedBefore.push(req._query !== undefined);
        prepare(req);
      };
    }

    handleConnection(client: Socket): void {
      const { query } = client.handshake;
      seen.queries.push({
        // The polling client's cache buster `t` differs per request.
        entries: Object.entries(query).map(([name, value]) => [name, name === 't' ? 't' : value]),
        plainObject: Object.getPrototypeOf(query) === Object.prototype,
      });
    }
  }
  return QueryGateway;
}

const later = closeAfterEach();

async function handshakeQueries(
  adapter: 'origin' | 'plain',
  transport: IoTransport,
  query: Record<string, string>,
): Promise<Seen> {
  const seen: Seen = { queries: [], preparedBefore: [] };
  const booted = await bootIoApp({ gateways: [queryGateway(seen)], adapter });
  later(() => booted.app.close());
  const client: ClientSocket = io(`http://127.0.0.1:${booted.port}`, {
    forceNew: true,
    reconnection: false,
    transports: [transport],
    extraHeaders: { Origin: ALLOWED },
    query,
  });
  later(async () => client.close());
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  return seen;
}

describe.each<IoTransport>(['polling', 'websocket'])('the handshake query over %s', (transport) => {
  it.each([
    ['plain', { token: 'abc-1' }, true],
    ['percent-encoded', { token: 'a b/ü' }, false],
  ] as const)('%s: as Nest IoAdapter gives it', async (_kind, query, preset) => {
    const nest = await handshakeQueries('plain', transport, query);
    const ours = await handshakeQueries('origin', transport, query);

    expect(ours.queries).toEqual(nest.queries);
    expect(ours.queries).toHaveLength(1);
    expect(ours.queries[0]!.plainObject).toBe(true);
    expect(Object.fromEntries(ours.queries[0]!.entries)).toMatchObject({
      EIO: '4',
      transport,
      ...query,
    });
    expect(nest.preparedBefore.length).toBeGreaterThan(0);
    expect(nest.preparedBefore.every((before) => !before)).toBe(true);
    expect(ours.preparedBefore.length).toBeGreaterThan(0);
    expect(ours.preparedBefore.every((before) => before === preset)).toBe(true);
  });
});
