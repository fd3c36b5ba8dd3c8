import type { INestApplication } from '@nestjs/common';
import { UseFilters } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import {
  Ack,
  MessageBody,
  type OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { config, of, throwError } from 'rxjs';
import type { Socket as ServerSocket } from 'socket.io';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { OriginIoAdapter, withOriginCheck } from '../../src/socket-io/index.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import type { BootedApp } from '../support/boot.js';
import { closeAfterEach } from '../support/close-after-each.js';
import { RethrowFilter, ticking, until } from '../support/dispatch-cases.js';
import { connectIo } from '../support/io-client.js';

const ALLOWED = 'https://app.example.com';
/** The gateway's events: each has one listener from the dispatch while the socket is connected. */
const EVENTS = ['echo', 'acked', 'manual', 'nothing', 'stream', 'later', 'answered'] as const;

/**
 * `OriginIoAdapter` dispatches Socket.IO events without the streams Nest's `IoAdapter` builds
 * for each handler and connection (`src/socket-io/message-handlers.ts`). Each case runs the same
 * client against a real app with Nest's `IoAdapter` and with ours, and asserts both the exact
 * transcript and that the two agree.
 *
 * Catches, in `bindIoMessageHandlers`: payloads not mapped by the adapter's `mapPayload` (one
 * argument, several, an acknowledgement); results emitted that should be acknowledged or the
 * other way round, acknowledged for a handler that takes `@Ack()` itself, or sent when
 * `null`/`undefined`; a failing handler not logged, or one that silences its event; a throwing
 * `mapPayload` that does not silence its event, silences others, or is not reported; a throwing
 * answer not reported, or one that ends dispatch; listeners left, or result streams still
 * running, after `disconnect`; a base class's own dispatch replaced.
 */

/** What the server side saw: the gateway's streams, and what reached `mapPayload`. */
class ServerProbe {
  socket: ServerSocket | undefined;
  subscribed = 0;
  unsubscribed = 0;
  readonly payloads: string[] = [];
}

function dispatchGateway(probe: ServerProbe): Function {
  @WebSocketGateway()
  class DispatchGateway implements OnGatewayConnection {
    handleConnection(socket: ServerSocket): void {
      probe.socket = socket;
    }

    @SubscribeMessage('echo')
    echo(@MessageBody() data: unknown) {
      return { event: 'echo', data };
    }

    @SubscribeMessage('acked')
    acked(@MessageBody() data: unknown) {
      return { acked: data };
    }

    @SubscribeMessage('manual')
    manual(@MessageBody() data: unknown, @Ack() ack: (reply: unknown) => void) {
      ack({ manual: data });
      return { returned: data };
    }

    @SubscribeMessage('nothing')
    nothing(): undefined {
      return undefined;
    }

    @SubscribeMessage('stream')
    stream() {
      return of({ event: 'stream', data: 1 }, null, { event: 'stream', data: 2 }, undefined);
    }

    @SubscribeMessage('later')
    async later(@MessageBody() data: unknown) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { event: 'later', data };
    }

    @SubscribeMessage('answered')
    answered() {
      return throwError(() => new Error('answered by Nest'));
    }

    @UseFilters(RethrowFilter)
    @SubscribeMessage('fails')
    fails() {
      return throwError(() => new Error('the stream failed'));
    }

    @SubscribeMessage('reserved')
    reserved() {
      return { event: 'disconnect', data: 'not allowed' };
    }

    @SubscribeMessage('forever')
    forever() {
      return ticking(probe);
    }
  }
  return DispatchGateway;
}

type AdapterClass = typeof IoAdapter;

/** Records each payload handed to `mapPayload`, and throws on the payload `'boom'`. */
function recording(Base: AdapterClass, probe: ServerProbe): AdapterClass {
  return class extends Base {
    override mapPayload(payload: unknown): { data: unknown; ack?: Function } {
      probe.payloads.push(
        Array.isArray(payload)
          ? `array of ${payload.map((item) => typeof item).join(', ')}`
          : typeof payload,
      );
      if (payload === 'boom') throw new Error('boom');
      return super.mapPayload(payload);
    }
  };
}

const ADAPTERS: [string, AdapterClass][] = [
  ['Nest IoAdapter', IoAdapter],
  ['OriginIoAdapter', OriginIoAdapter],
];

const later = closeAfterEach();

async function boot(
  Base: AdapterClass,
  probe: ServerProbe,
): Promise<BootedApp & { adapter: IoAdapter }> {
  const Adapter = recording(Base, probe);
  let adapter: IoAdapter | undefined;
  const booted = await bootIoApp({
    gateways: [dispatchGateway(probe)],
    // Nest's adapter checks no origin.
    options: { allowedOrigins: [ALLOWED], allowUncheckedGateways: true },
    adapter: (app: INestApplication) => (adapter = new Adapter(app)),
  });
  later(() => booted.app.close());
  return { ...booted, adapter: adapter! };
}

/** Nest's per-socket `disconnect` streams: a private of `IoAdapter`, read to see who dispatched. */
function disconnectStreams(adapter: IoAdapter): WeakMap<object, unknown> {
  return (adapter as unknown as { disconnectMap: WeakMap<object, unknown> }).disconnectMap;
}

async function connect(booted: BootedApp): Promise<{ socket: Socket; received: string[] }> {
  const outcome = await connectIo(`http://127.0.0.1:${booted.port}/`, {
    origin: ALLOWED,
    transports: ['websocket'],
  });
  if (!outcome.connected) throw new Error(`refused: ${outcome.message}`);
  const { socket } = outcome;
  later(async () => socket.close());
  const received: string[] = [];
  socket.onAny((event: string, ...args: unknown[]) =>
    received.push(`${event} ${JSON.stringify(args)}`),
  );
  return { socket, received };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** The transcript of one client against one adapter. */
async function eventsTranscript(Base: AdapterClass) {
  const unhandled: unknown[] = [];
  config.onUnhandledError = (error) => unhandled.push(String(error));
  const probe = new ServerProbe();
  const booted = await boot(Base, probe);
  const { socket, received } = await connect(booted);
  const acks: string[] = [];
  const acked =
    (name: string) =>
    (...args: unknown[]) =>
      acks.push(`${name} ${JSON.stringify(args)}`);
  socket.emit('unknown', 1);
  socket.emit('nothing', 'n', acked('nothing'));
  socket.emit('acked', 'one', acked('acked one'));
  socket.emit('acked', 'a', 2, acked('acked two'));
  socket.emit('acked', 'no ack');
  socket.emit('echo', 'with ack', acked('echo'));
  socket.emit('manual', 'm', acked('manual'));
  socket.emit('later', 'slow');
  socket.emit('answered');
  socket.emit('fails');
  socket.emit('stream');
  socket.emit('reserved');
  socket.emit('echo', { n: 1 });
  await until(() => received.some((line) => line.startsWith('later')), 'the later reply');
  await until(() => unhandled.length === 1, 'the reserved event to be reported');
  // A throwing mapPayload silences its event, and only its event.
  socket.emit('echo', 'boom');
  socket.emit('echo', 'silenced');
  socket.emit('acked', 'still answered', acked('after boom'));
  await until(() => acks.some((line) => line.startsWith('after boom')), 'the ack after boom');
  await settle();
  const errors = booted.logger.lines
    .filter((line) => line.level === 'error')
    .map((line) => `${line.context}: ${line.message}`);
  const listeners = EVENTS.map((event) => `${event} ${probe.socket!.listenerCount(event)}`);
  return { received, acks, payloads: probe.payloads, errors, unhandled, listeners };
}

describe('event dispatch, Nest IoAdapter and OriginIoAdapter side by side', () => {
  afterEach(() => {
    config.onUnhandledError = null;
  });

  it('answers, acknowledges, skips, logs and reports exactly as Nest does', async () => {
    const [nest, ours] = [
      await eventsTranscript(IoAdapter),
      await eventsTranscript(OriginIoAdapter),
    ];

    expect(ours).toEqual(nest);
    expect(ours.received).toEqual([
      'echo ["with ack"]',
      'exception [{"status":"error","message":"Internal server error","cause":{"pattern":"answered"}}]',
      'stream [1]',
      'stream [2]',
      'echo [{"n":1}]',
      'later ["slow"]',
    ]);
    // The manual ack is sent while its handler runs; the others after Nest's awaits.
    expect(ours.acks).toEqual([
      'manual [{"manual":"m"}]',
      'acked one [{"acked":"one"}]',
      'acked two [{"acked":["a",2]}]',
      'after boom [{"acked":"still answered"}]',
    ]);
    expect(ours.payloads).toEqual([
      'array of string, function',
      'array of string, function',
      'array of string, number, function',
      'string',
      'array of string, function',
      'array of string, function',
      'string',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'object',
      'string',
      'array of string, function',
    ]);
    expect(ours.errors).toEqual([
      'WsExceptionsHandler: Error: answered by Nest',
      'IoAdapter: Error: the stream failed',
    ]);
    expect(ours.unhandled).toEqual(['Error: "disconnect" is a reserved event name', 'Error: boom']);
    expect(ours.listeners).toEqual([
      'echo 0',
      'acked 1',
      'manual 1',
      'nothing 1',
      'stream 1',
      'later 1',
      'answered 1',
    ]);
  });

  it.each(ADAPTERS)(
    '%s: a disconnect unsubscribes what still runs and leaves no listener',
    async (name, Base) => {
      const probe = new ServerProbe();
      const booted = await boot(Base, probe);
      const { socket, received } = await connect(booted);
      socket.emit('forever');
      await until(() => received.length >= 2, 'two ticks');
      const disconnectListeners = probe.socket!.listenerCount('disconnect');
      // Ours builds no streams for the socket, so Nest's map of them stays empty.
      expect(disconnectStreams(booted.adapter).has(probe.socket!)).toBe(name === 'Nest IoAdapter');
      socket.close();

      await until(() => probe.unsubscribed === 1, 'the stream to be unsubscribed');
      expect(probe.subscribed).toBe(1);
      expect(EVENTS.map((event) => probe.socket!.listenerCount(event))).toEqual(
        EVENTS.map(() => 0),
      );
      expect(probe.socket!.listenerCount('forever')).toBe(0);
      // Nest's `bindClientDisconnect` and the dispatch's own: both listen once.
      expect(disconnectListeners).toBe(2);
      expect(probe.socket!.listenerCount('disconnect')).toBe(0);
    },
  );
});

describe('withOriginCheck over a base class with a dispatch of its own', () => {
  it('keeps that dispatch', async () => {
    const dispatched: string[] = [];
    class OwnDispatchAdapter extends IoAdapter {
      override bindMessageHandlers(...args: Parameters<IoAdapter['bindMessageHandlers']>): void {
        dispatched.push(args[1].map((handler) => String(handler.message)).join(' '));
        super.bindMessageHandlers(...args);
      }
    }
    const probe = new ServerProbe();
    const { socket, received } = await connect(
      await boot(withOriginCheck(OwnDispatchAdapter), probe),
    );
    socket.emit('echo', 'own');
    await until(() => received.length === 1, 'the echo');

    expect(received).toEqual(['echo ["own"]']);
    expect(dispatched).toEqual([
      'echo acked manual nothing stream later answered fails reserved forever',
    ]);
  });
});
