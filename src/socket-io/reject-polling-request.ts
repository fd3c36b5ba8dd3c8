import type { ServerResponse } from 'node:http';

const BODY = 'Forbidden';

/**
 * Answers a refused engine.io HTTP request (long-polling handshake, poll or POST, CORS
 * preflight) with `403 Forbidden`, as `rejectUpgrade` does for WebSocket upgrades.
 *
 * Written directly, so engine.io's `cors` middleware never runs: the answer has no
 * `Access-Control-*` header, and a page on another site cannot even read that it was refused.
 * The body is generic on purpose: it must not echo attacker input. `Connection: close` because
 * a client that was refused once has no use for the connection.
 */
export function rejectPollingRequest(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(403, 'Forbidden', {
    Connection: 'close',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(BODY),
  });
  res.end(BODY);
}
