import type { ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';

/**
 * The one answer to a refused request, WebSocket upgrade or engine.io HTTP request alike:
 * `403 Forbidden`, a generic body (it must not echo attacker input, and a page cannot read it
 * anyway), `Connection: close` (a client refused once has no use for the connection), and no
 * `Access-Control-*` header, so a page on another site cannot even read that it was refused.
 */
const BODY = 'Forbidden';
const HEADERS = plainTextHeaders(BODY);
const UPGRADE_RESPONSE = rawResponse('403 Forbidden', BODY);
const NOT_FOUND_RESPONSE = rawResponse('404 Not Found', 'Not Found');

function plainTextHeaders(body: string): Record<string, string> {
  return {
    Connection: 'close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  };
}

/** A whole HTTP/1.1 response, as written on a raw socket. */
function rawResponse(status: string, body: string): string {
  const headers = Object.entries(plainTextHeaders(body))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${status}\r\n${headers}\r\n${body}`;
}

function ignore(): void {}

/** Answers an upgrade request on its raw socket, and closes it once the answer is flushed. */
export function refuseUpgrade(socket: Duplex): void {
  answerAndClose(socket, UPGRADE_RESPONSE);
}

/**
 * Answers an HTTP request (an engine.io poll, POST or preflight) directly, so no middleware
 * of engine.io (`cors` included) runs for it.
 */
export function refuseResponse(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(403, 'Forbidden', HEADERS);
  res.end(BODY);
}

/** Answers an upgrade that no listener serves (an unknown path), instead of leaving it hanging. */
export function answerUnservedUpgrade(socket: Duplex): void {
  answerAndClose(socket, NOT_FOUND_RESPONSE);
}

function answerAndClose(socket: Duplex, response: string): void {
  // First: a client that resets the connection mid-answer raises EPIPE/ECONNRESET here, and
  // an unhandled 'error' on a socket would take the whole process down.
  socket.on('error', ignore);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // A plain TCP socket that handed the whole answer to the kernel is closed at once: the kernel
  // sends the answer, then FIN, the same bytes as end(), without its shutdown and 'finish'
  // (5% of a refusal's CPU). A write left queued would be lost if destroyed now, and TLS ends
  // with a close_notify alert that only end() sends, so those wait until the answer is flushed.
  if (socket.write(response) && socket.writableLength === 0 && isPlainTcp(socket)) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end();
}

function isPlainTcp(socket: Duplex): boolean {
  return socket instanceof Socket && !(socket instanceof TLSSocket);
}
