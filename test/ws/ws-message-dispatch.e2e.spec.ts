import { EventEmitter } from 'node:events';
import type { INestApplication } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { WsAdapter } from '@nestjs/platform-ws';
import { UseFilters } from '@nestjs/common';
import {
  MessageBody,
  type OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { config, type Observable, of, throwError } from 'rxjs';
import type { WebSocket } from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OriginWsAdapter } from '../../src/ws/index.js';
import { bootApp, type BootedApp } from '../support/boot.js';
import { closeAfterEach } from '../support/close-after-each.js';
import { RethrowFilter, ticking, until } from '../support/dispatch-cases.js';
import { expectOpened, frameText, openWs } from '../support/net.js';

const ALLOWED = 'https://app.example.com';
/** `close` listeners on a client whose dispatch ended while it is still open. */
const CLOSE_LISTENERS_AFTER = 2;

/**
 * `OriginWsAdapter` dispatches messages without the streams Nest's `WsAdapter` builds for each
 * connection (`src/ws/message-handlers.ts`). Each case runs the same client against a real app
 * with Nest's `WsAdapter` and with ours, and asserts both the exact transcript and that the two
 * agree.
 *
 * Catches, in `bindMessageHandlers`: results sent when `null`/`undefined` or while closing, or
 * not sent at all; a failing result stream that is not logged or that ends dispatch; result
 * streams not unsubscribed, or the message listener left, when the client closes; a throwing
 * `bindMessageHandler` that does not end dispatch or is not reported; something other than
 * `ws`'s `MessageEvent` handed to `bindMessageHandler`; a client without `addEventListener`
 * not handed to Nest's own.
 */

/** What the server side saw: the gateway's streams, and what reached `bindMessageHandler`. */
class ServerProbe {
  client: WebSocket | undefined;
  subscribed = 0;
  unsubscribed = 0;
  readonly events: string[] = [];
}

function dispatchGateway(probe: ServerProbe): Function {
  @WebSocketGateway({ path: '/ws' })
  class DispatchGateway implements OnGatewayConnection {
    handleConnection(client: WebSocket): void {
      probe.client = client;
    }

    @SubscribeMessage('echo')
    echo(@MessageBody() data: unknown) {
      return { event: 'echo', data };
    }

    @SubscribeMessage('nothing')
    nothing(): undefined {
      return undefined;
    }

    @SubscribeMessage('nil')
    nil(): null {
      return null;
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

    @SubscribeMessage('forever')
    forever() {
      return ticking(probe);
    }
  }
  return DispatchGateway;
}

type AdapterClass = typeof WsAdapter;

/**
 * Records what each message handed to `bindMessageHandler` is; throws on a `boom` frame, and
 * answers a `promise` frame with a promise, which has no `pipe` for Nest to call.
 */
function recording(Base: AdapterClass, probe: ServerProbe): AdapterClass {
  return class extends Base {
    override bindMessageHandler(
      event: { type?: unknown; data?: unknown },
      handlers: Map<string, MessageMappingProperties>,
      transform: (data: unknown) => Observable<unknown>,
    ): Observable<unknown> {
      probe.events.push(`${event.constructor.name} ${String(event.type)} ${typeof event.data}`);
      if (event.data === 'boom') throw new Error('boom');
      if (event.data === 'promise') {
        return Promise.resolve({ event: 'promised' }) as unknown as Observable<unknown>;
      }
      return super.bindMessageHandler(event, handlers, transform);
    }
  };
}

const ADAPTERS: [string, AdapterClass][] = [
  ['Nest WsAdapter', WsAdapter],
  ['OriginWsAdapter', OriginWsAdapter],
];

const later = closeAfterEach();

async function boot(Base: AdapterClass, probe: ServerProbe): Promise<BootedApp> {
  const Adapter = recording(Base, probe);
  const booted = await bootApp({
    gateways: [dispatchGateway(probe)],
    // Nest's adapter checks no origin; the module's app-wide upgrade gate still does.
    options: { allowedOrigins: [ALLOWED], allowUncheckedGateways: true },
    adapter: (app: INestApplication) => new Adapter(app),
  });
  later(() => booted.app.close());
  return booted;
}

async function connect(booted: BootedApp): Promise<{ socket: WebSocket; replies: string[] }> {
  const socket = expectOpened(await openWs(`ws://127.0.0.1:${booted.port}/ws`, ALLOWED));
  later(async () => socket.terminate());
  const replies: string[] = [];
  socket.on('message', (data) => replies.push(frameText(data)));
  return { socket, replies };
}

const send = (socket: WebSocket, event: string, data?: unknown) =>
  socket.send(JSON.stringify({ event, data }));

/** The transcript of one client against one adapter. */
async function messagesTranscript(Base: AdapterClass) {
  const probe = new ServerProbe();
  const booted = await boot(Base, probe);
  const { socket, replies } = await connect(booted);
  for (const frame of ['not json', '5', 'null', '"text"', '{"event":"unknown","data":1}']) {
    socket.send(frame);
  }
  send(socket, 'nothing');
  send(socket, 'nil');
  send(socket, 'later', 'slow');
  send(socket, 'answered');
  send(socket, 'fails');
  send(socket, 'stream');
  send(socket, 'echo', { n: 1 });
  await until(() => replies.some((reply) => reply.includes('"later"')), 'the later reply');
  socket.send(Buffer.from(JSON.stringify({ event: 'echo', data: 'binary' })));
  await until(() => replies.some((reply) => reply.includes('"binary"')), 'the binary reply');
  const errors = booted.logger.lines
    .filter((line) => line.level === 'error')
    .map((line) => `${line.context}: ${line.message}`);
  return { replies, events: probe.events, errors };
}

describe('message dispatch, Nest WsAdapter and OriginWsAdapter side by side', () => {
  afterEach(() => {
    config.onUnhandledError = null;
  });

  it('answers, skips and logs exactly as Nest does', async () => {
    const [nest, ours] = [
      await messagesTranscript(WsAdapter),
      await messagesTranscript(OriginWsAdapter),
    ];

    expect(ours).toEqual(nest);
    expect(ours.replies).toEqual([
      '{"event":"exception","data":{"status":"error","message":"Internal server error","cause":{"pattern":"answered"}}}',
      '{"event":"stream","data":1}',
      '{"event":"stream","data":2}',
      '{"event":"echo","data":{"n":1}}',
      '{"event":"later","data":"slow"}',
      '{"event":"echo","data":"binary"}',
    ]);
    expect(ours.events).toEqual([
      ...Array<string>(12).fill('MessageEvent message string'),
      'MessageEvent message object',
    ]);
    expect(ours.errors).toEqual([
      'WsExceptionsHandler: Error: answered by Nest',
      'WsAdapter: Error: the stream failed',
    ]);
  });

  it.each(ADAPTERS)(
    '%s: a close unsubscribes what still runs and leaves no message listener',
    async (_name, Base) => {
      const probe = new ServerProbe();
      const { socket, replies } = await connect(await boot(Base, probe));
      send(socket, 'forever');
      await until(() => replies.length >= 2, 'two ticks');
      expect(probe.client!.listenerCount('message')).toBe(1);
      socket.close();

      await until(() => probe.unsubscribed === 1, 'the stream to be unsubscribed');
      expect(probe.subscribed).toBe(1);
      expect(probe.client!.listenerCount('message')).toBe(0);
    },
  );

  const ENDINGS = [
    ['throws', 'boom', 'Error: boom'],
    ['returns no Observable', 'promise', 'TypeError'],
  ] as const;
  describe.each(ADAPTERS)('%s', (_name, Base) => {
    it.each(ENDINGS)(
      'a bindMessageHandler that %s ends the dispatch and is reported to rxjs',
      async (_ending, frame, reported) => {
        const unhandled: unknown[] = [];
        config.onUnhandledError = (error) => unhandled.push(error);
        const probe = new ServerProbe();
        const { socket, replies } = await connect(await boot(Base, probe));
        send(socket, 'forever');
        await until(() => replies.length >= 1, 'a tick');
        socket.send(frame);
        send(socket, 'echo', 'after');
        await until(() => unhandled.length === 1, 'the unhandled error');
        await new Promise((resolve) => setTimeout(resolve, 50));

        expect(String(unhandled[0])).toMatch(new RegExp(`^${reported}`));
        expect(replies).not.toContain('{"event":"echo","data":"after"}');
        expect(probe.unsubscribed).toBe(1);
        expect(probe.events).toHaveLength(2);
        expect(probe.client!.listenerCount('message')).toBe(0);
        // The `ws` server's (client tracking) and Nest's `bindClientDisconnect` stay; the
        // dispatch's own close listener is gone.
        expect(probe.client!.listenerCount('close')).toBe(CLOSE_LISTENERS_AFTER);
      },
    );
  });
});

describe('OriginWsAdapter with a client that is not a ws socket', () => {
  it("hands it to Nest's own dispatch, which listens with on()", async () => {
    let adapter: OriginWsAdapter | undefined;
    const booted = await bootApp({
      gateways: [dispatchGateway(new ServerProbe())],
      adapter: (app: INestApplication) => (adapter = new OriginWsAdapter(app)),
    });
    later(() => booted.app.close());
    const client = Object.assign(new EventEmitter(), {
      readyState: 1,
      send: vi.fn<(data: string) => void>(),
    });
    const handlers: MessageMappingProperties[] = [
      { message: 'echo', callback: (data: unknown) => ({ event: 'echo', data }) },
    ] as unknown as MessageMappingProperties[];

    adapter!.bindMessageHandlers(client as unknown as WebSocket, handlers, (result) => of(result));
    client.emit('message', { data: '{"event":"echo","data":7}' });

    expect(client.send).toHaveBeenCalledWith('{"event":"echo","data":7}');
  });
});
