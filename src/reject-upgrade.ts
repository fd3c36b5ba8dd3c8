import type { Duplex } from 'node:stream';

const BODY = 'Forbidden';
const RESPONSE =
  'HTTP/1.1 403 Forbidden\r\n' +
  'Connection: close\r\n' +
  'Content-Type: text/plain; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(BODY)}\r\n` +
  '\r\n' +
  BODY;

function ignore(): void {}

/**
 * Answers an upgrade request with `403 Forbidden` and closes the connection once the answer
 * has been flushed. The body is generic on purpose: it must not echo attacker input, and a
 * browser page cannot read it anyway.
 */
export function rejectUpgrade(socket: Duplex): void {
  // First: a client that resets the connection mid-answer raises EPIPE/ECONNRESET here, and
  // an unhandled 'error' on a socket would take the whole process down.
  socket.on('error', ignore);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Destroying right after write() can drop the queued response; wait until it is flushed.
  socket.once('finish', () => socket.destroy());
  socket.end(RESPONSE);
}
