import { UseGuards } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { AllowedOrigins, OriginGuard } from '../../src/index.js';
import { type BootedApp, bootApp } from '../support/boot.js';
import { GatewayProbe } from '../support/echo-gateway.js';
import { connectIo, ioRoundTrip } from '../support/io-client.js';
import { expectOpened, openWs, roundTrip } from '../support/net.js';

/**
 * `OriginGuard` with `@AllowedOrigins` on the gateway class and a different one on a handler,
 * over real clients of both transports. The module's own list holds neither origin, so every
 * verdict below comes from the class or the handler list.
 *
 * Catches (each checked by breaking `src/nest/origin.guard.ts` locally, then restoring it):
 * - the per-client memo of passed policies answering for any policy (`wasAllowed` true once the
 *   client passed one handler): `https://a.example` would run `narrow` after `open`;
 * - the guard's policy cache keyed by gateway class only: whichever handler is called first
 *   would set the policy of both, which the two call orders expose;
 * - the metadata read class-first (`getAllAndOverride(…, [gateway, handler])`): the class list
 *   would override the handler's and let `https://a.example` run `narrow`;
 * - the policy cache keyed by handler name: `OneGateway.narrow` and `TwoGateway.narrow` would
 *   share the list of whichever ran first.
 */

const A = 'https://a.example';
const B = 'https://b.example';
const MODULE_DEFAULT = 'https://app.example.com';

/**
 * A gateway allowing A and B, with `open` (the class list) and `narrow` (its own list), both
 * behind `OriginGuard`. Every call makes a new class, so two gateways share method names only.
 */
function levelsGateway(
  probe: GatewayProbe,
  name: string,
  path: string,
  narrowOrigins: string[],
): Function {
  @AllowedOrigins(A, B)
  @WebSocketGateway({ path })
  class LevelsGateway {
    @UseGuards(OriginGuard)
    @SubscribeMessage('open')
    open(@MessageBody() data: unknown) {
      probe.messages++;
      return { event: 'open', data };
    }

    @UseGuards(OriginGuard)
    @AllowedOrigins(...narrowOrigins)
    @SubscribeMessage('narrow')
    narrow(@MessageBody() data: unknown) {
      probe.messages++;
      return { event: 'narrow', data };
    }
  }
  Object.defineProperty(LevelsGateway, 'name', { value: name });
  return LevelsGateway;
}

/** What a call came to, the same for both transports. */
type Outcome = { reply: unknown } | 'refused';

/** One connected client of either transport. */
interface Client {
  call(event: string, data: unknown): Promise<Outcome>;
  close(): void;
}

const WS_REFUSAL = { closeCode: 1008, closeReason: 'Origin not allowed' };
const IO_REFUSAL = {
  exception: { status: 'error', message: 'Origin not allowed' },
  disconnect: 'io server disconnect',
};

function wsClient(socket: WebSocket): Client {
  return {
    async call(event, data) {
      const result = await roundTrip(socket, event, data);
      if ('reply' in result) {
        expect(result.reply).toEqual({ event, data });
        return { reply: data };
      }
      expect(result).toEqual(WS_REFUSAL);
      return 'refused';
    },
    close: () => socket.close(),
  };
}

function ioClient(socket: Socket): Client {
  return {
    async call(event, data) {
      const result = await ioRoundTrip(socket, event, data);
      if ('reply' in result) return { reply: result.reply };
      expect(result).toEqual(IO_REFUSAL);
      return 'refused';
    },
    close: () => socket.close(),
  };
}

const refusalLine = (origin: string, handler: string) =>
  `Refused WebSocket message: reason=not_allowed origin="${origin}" handler=${handler} remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add '${origin}' to the allowed origins.`;

describe.each(['ws', 'socket.io'] as const)(
  'OriginGuard with class and handler @AllowedOrigins that differ, over %s',
  (transport) => {
    const probes = { levels: new GatewayProbe(), one: new GatewayProbe(), two: new GatewayProbe() };
    let booted: BootedApp;

    beforeAll(async () => {
      booted = await bootApp({
        transport,
        options: { allowedOrigins: [MODULE_DEFAULT] },
        gateways: [
          levelsGateway(probes.levels, 'LevelsGateway', '/levels', [B]),
          levelsGateway(probes.one, 'OneGateway', '/one', [A]),
          levelsGateway(probes.two, 'TwoGateway', '/two', [B]),
        ],
      });
    });
    afterAll(() => booted.app.close());

    async function connect(origin: string, path: string): Promise<Client> {
      if (transport === 'ws') {
        return wsClient(expectOpened(await openWs(`ws://127.0.0.1:${booted.port}${path}`, origin)));
      }
      const outcome = await connectIo(`http://127.0.0.1:${booted.port}`, {
        origin,
        path,
        transports: ['websocket'],
      });
      if (!outcome.connected) throw new Error(`handshake refused: ${JSON.stringify(outcome)}`);
      return ioClient(outcome.socket);
    }

    /** Calls in order on one connection, stopping at the first refusal (which closes it). */
    async function calls(origin: string, path: string, events: string[]): Promise<Outcome[]> {
      const client = await connect(origin, path);
      const outcomes: Outcome[] = [];
      for (const [i, event] of events.entries()) {
        const outcome = await client.call(event, i);
        outcomes.push(outcome);
        if (outcome === 'refused') return outcomes;
      }
      client.close();
      return outcomes;
    }

    it('lets A call the handler that inherits the class list, then refuses it the narrower one', async () => {
      const before = probes.levels.messages;
      expect(await calls(A, '/levels', ['open', 'open', 'narrow'])).toEqual([
        { reply: 0 },
        { reply: 1 },
        'refused',
      ]);
      expect(probes.levels.messages).toBe(before + 2);
      expect(booted.logger.warnings()).toContain(refusalLine(A, 'LevelsGateway.narrow'));
    });

    it('refuses A the narrower handler first, and still lets it call the other afterwards', async () => {
      const before = probes.levels.messages;
      expect(await calls(A, '/levels', ['narrow'])).toEqual(['refused']);
      expect(await calls(A, '/levels', ['open'])).toEqual([{ reply: 0 }]);
      expect(probes.levels.messages).toBe(before + 1);
    });

    it('lets B call both handlers, in either order, on one connection', async () => {
      const before = probes.levels.messages;
      expect(await calls(B, '/levels', ['narrow', 'open', 'narrow', 'open'])).toEqual([
        { reply: 0 },
        { reply: 1 },
        { reply: 2 },
        { reply: 3 },
      ]);
      expect(probes.levels.messages).toBe(before + 4);
    });

    it('keeps the lists of same-named handlers on two gateway classes apart', async () => {
      const before = { one: probes.one.messages, two: probes.two.messages };
      // OneGateway.narrow allows A only, TwoGateway.narrow B only; each origin first passes
      // one of them, which must not decide the other.
      expect({
        aOne: await calls(A, '/one', ['narrow']),
        aTwo: await calls(A, '/two', ['narrow']),
        bTwo: await calls(B, '/two', ['narrow']),
        bOne: await calls(B, '/one', ['narrow']),
      }).toEqual({
        aOne: [{ reply: 0 }],
        aTwo: ['refused'],
        bTwo: [{ reply: 0 }],
        bOne: ['refused'],
      });
      expect({ one: probes.one.messages, two: probes.two.messages }).toEqual({
        one: before.one + 1,
        two: before.two + 1,
      });
      expect(booted.logger.warnings()).toEqual(
        expect.arrayContaining([
          refusalLine(A, 'TwoGateway.narrow'),
          refusalLine(B, 'OneGateway.narrow'),
        ]),
      );
    });
  },
);
