import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The one answer to a refused request, WebSocket upgrade or engine.io HTTP request alike:
 * `403 Forbidden`, a generic body (it must not echo attacker input, and a page cannot read it
 * anyway), `Connection: close` (a client refused once has no use for the connection), and no
 * `Access-Control-*` header, so a page on another site cannot even read that it was refused.
 */
const BODY = 'Forbidden';
const HEADERS = {
  Connection: 'close',
  'Content-Type': 'text/plain; charset=utf-8',
  'Content-Length': String(Buffer.byteLength(BODY)),
};
const UPGRADE_RESPONSE =
  'HTTP/1.1 403 Forbidden\r\n' +
  Object.entries(HEADERS)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  '\r\n' +
  BODY;

function ignore(): void {}

/** Answers an upgrade request on its raw socket, and closes it once the answer is flushed. */
export function refuseUpgrade(socket: Duplex): void {
  // First: a client that resets the connection mid-answer raises EPIPE/ECONNRESET here, and
  // an unhandled 'error' on a socket would take the whole process down.
  socket.on('error', ignore);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Destroying right after write() can drop the queued response; wait until it is flushed.
  socket.once('finish', () => socket.destroy());
  socket.end(UPGRADE_RESPONSE);
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

const NOT_FOUND_BODY = 'Not Found';
const NOT_FOUND_RESPONSE =
  'HTTP/1.1 404 Not Found\r\n' +
  'Connection: close\r\n' +
  'Content-Type: text/plain; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(NOT_FOUND_BODY)}\r\n` +
  '\r\n' +
  NOT_FOUND_BODY;

/** Answers an upgrade that no listener serves (an unknown path), instead of leaving it hanging. */
export function answerUnservedUpgrade(socket: Duplex): void {
  socket.on('error', ignore);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(NOT_FOUND_RESPONSE);
}
