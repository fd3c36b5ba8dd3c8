import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

/** A `ws` server another library attaches by hand, with its own `'upgrade'` listener. */
export interface RawWsServer {
  /** Connections it accepted so far. */
  readonly reached: () => number;
  /** Takes its `'upgrade'` listener off the HTTP server. */
  readonly detach: () => void;
  readonly close: () => Promise<void>;
}

/**
 * Attaches a `ws` server to `httpServer` the way a library does after `listen()`: its own
 * `'upgrade'` listener serves `paths` and leaves every other upgrade alone.
 */
export function attachRawWsServer(httpServer: Server, ...paths: string[]): RawWsServer {
  let reached = 0;
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (socket) => {
    reached++;
    socket.close();
  });
  const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (paths.includes(req.url ?? '')) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    }
  };
  httpServer.on('upgrade', listener);
  return {
    reached: () => reached,
    detach: () => httpServer.off('upgrade', listener),
    close: () => new Promise((resolve) => wss.close(() => resolve())),
  };
}
