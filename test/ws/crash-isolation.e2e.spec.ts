import { connect } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  ALLOWED_ORIGIN,
  type CrashServer,
  type CrashServerDecided,
  type CrashServerTransport,
  startCrashServer,
  TENANT_ORIGIN,
} from '../support/crash-server-process.js';
import { httpRequest } from '../support/http-request.js';
import { rawHandshake } from '../support/net.js';

/**
 * Clients that reset the connection (TCP RST) while their handshake is being refused must not
 * take the server down. In-process, an unhandled 'error' on a socket only shows up as vitest's
 * "unhandled error" report; here the guarded Nest server runs alone in a child process
 * (`crash-server.ts`), where the same error ends the process, and the test asserts that it did
 * not: no 'exit' event, `exitCode` still `null`, and fresh handshakes still answered exactly.
 *
 * Shapes: `ws` (`OriginWsAdapter`) and Socket.IO (`OriginIoAdapter`) upgrades, and engine.io
 * polling requests; each refused synchronously from the list, and while a predicate is still
 * deciding (it holds every client's origin until all of them have reset, so each reset really
 * lands mid-decision). One child per shape, with one gateway.
 *
 * Catches (each checked by breaking the code locally and seeing the child die, then restoring):
 * - `refuseUpgrade` (src/runtime/http-refusal.ts) without its `socket.on('error', ignore)`: the two
 *   synchronous upgrade shapes, ws and Socket.IO (write/read ECONNRESET, unhandled 'error');
 * - `completeUpgrade` (src/runtime/complete-upgrade.ts) without the `destroyOnError` listener it keeps while
 *   a predicate decides: the two predicate upgrade shapes (read ECONNRESET while deciding);
 * - a polling refusal that reads the peer of a connection the client has reset
 *   (`res.socket!.remoteAddress!` in `refuseResponse`, undefined by then): the
 *   synchronous polling shape (uncaught TypeError);
 * - a polling refusal that throws once the response is gone (`if (res.destroyed) throw …` in
 *   `refuseResponse`): the predicate polling shape, where the refusal runs in a promise
 *   continuation and the throw becomes an unhandled rejection.
 * Node's HTTP server keeps its own 'error' listener on a polling request's socket, so polling
 * shapes only crash through our own code; the upgrade shapes are where Node lets go of the
 * socket (it emits 'upgrade' without an 'error' listener left on it).
 *
 * The Socket.IO child has a single engine: a second engine.io server on the same HTTP server
 * adds an 'error' listener to every upgrade outside its path (engine.io's `attach()`), which
 * would hide a missing one in ours.
 */

const CLIENTS = 50;
/** A generous bound, not a measurement: each test starts a Node process that compiles the app. */
const CHILD_TEST_TIMEOUT_MS = 90_000;
const REFUSED_ORIGIN = 'https://rst.example';
const LATE_REFUSED_ORIGIN = 'https://late.example';

interface Shape {
  readonly transport: CrashServerTransport;
  readonly request: 'upgrade' | 'polling';
  readonly decided: CrashServerDecided;
}

const SHAPES: [string, Shape][] = [
  ['ws upgrade refused synchronously', { transport: 'ws', request: 'upgrade', decided: 'sync' }],
  ['ws upgrade refused by a predicate', { transport: 'ws', request: 'upgrade', decided: 'async' }],
  [
    'Socket.IO polling request refused synchronously',
    { transport: 'socket.io', request: 'polling', decided: 'sync' },
  ],
  [
    'Socket.IO polling request refused by a predicate',
    { transport: 'socket.io', request: 'polling', decided: 'async' },
  ],
  [
    'Socket.IO upgrade refused synchronously',
    { transport: 'socket.io', request: 'upgrade', decided: 'sync' },
  ],
  [
    'Socket.IO upgrade refused by a predicate',
    { transport: 'socket.io', request: 'upgrade', decided: 'async' },
  ],
];

/** The request target of a shape, on the server's one gateway. */
function targetOf({ transport, request, decided }: Shape): string {
  const path = `/${decided}`;
  if (transport === 'ws') return path;
  return `${path}/?EIO=4&transport=${request === 'upgrade' ? 'websocket' : 'polling'}`;
}

function requestText(shape: Shape, port: number, origin: string): string {
  const lines = [`GET ${targetOf(shape)} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  if (shape.request === 'upgrade') {
    lines.push(
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    );
  }
  lines.push(`Origin: ${origin}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Sends one request and resets the connection once `resetWhen` resolves (at once for a
 * synchronous refusal, which the server writes as soon as it has read the request).
 */
function resetMidRefusal(port: number, request: string, resetWhen: Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(request, () => {
        resetWhen.then(() => socket.resetAndDestroy(), reject);
      });
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

/** The status line a fresh request of this shape is answered with. */
async function statusLine(shape: Shape, port: number, origin: string): Promise<string> {
  if (shape.request === 'polling') {
    return (await httpRequest(port, 'GET', targetOf(shape), { Origin: origin })).statusLine;
  }
  return (await rawHandshake(port, targetOf(shape), [['Origin', origin]])).statusLine;
}

function expectAlive(server: CrashServer): void {
  const { exitCode, signalCode } = server.child;
  const state = { exit: server.exit(), exitCode, signalCode };
  const alive = state.exit === undefined && exitCode === null && signalCode === null;
  // A dead child's output (the crash's stack trace) is what a failure needs to show.
  expect({ ...state, output: alive ? '' : server.output() }).toEqual({
    exit: undefined,
    exitCode: null,
    signalCode: null,
    output: '',
  });
}

describe('Crash isolation: clients that reset in the middle of a refusal', () => {
  it.each(SHAPES)(
    '%s: the server process survives and still answers',
    async (_name, shape) => {
      const server = await startCrashServer(shape.transport, shape.decided);
      onTestFinished(() => server.stop());
      const { port } = server;
      const accepted =
        shape.request === 'polling' ? 'HTTP/1.1 200 OK' : 'HTTP/1.1 101 Switching Protocols';

      await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) => {
          if (shape.decided === 'sync') {
            return resetMidRefusal(
              port,
              requestText(shape, port, REFUSED_ORIGIN),
              Promise.resolve(),
            );
          }
          // A distinct origin each, so that no answer comes from the predicate cache.
          const origin = `https://rst-${i}.example`;
          return resetMidRefusal(port, requestText(shape, port, origin), server.deciding(origin));
        }),
      );
      // Every client of a predicate shape had reset while its origin was held; now the
      // refusals run. (A synchronous shape's gateway has no predicate: it held none.)
      expect(await server.release()).toBe(shape.decided === 'async' ? CLIENTS : 0);
      await server.ping();
      expectAlive(server);

      const fresh = {
        allowed: await statusLine(shape, port, ALLOWED_ORIGIN),
        refused: await statusLine(shape, port, REFUSED_ORIGIN),
        ...(shape.decided === 'async' && {
          allowedByPredicate: await statusLine(shape, port, TENANT_ORIGIN),
          refusedByPredicate: await statusLine(shape, port, LATE_REFUSED_ORIGIN),
        }),
      };
      expect(fresh).toEqual({
        allowed: accepted,
        refused: 'HTTP/1.1 403 Forbidden',
        ...(shape.decided === 'async' && {
          allowedByPredicate: accepted,
          refusedByPredicate: 'HTTP/1.1 403 Forbidden',
        }),
      });
      await server.ping();
      expectAlive(server);
    },
    CHILD_TEST_TIMEOUT_MS,
  );
});
