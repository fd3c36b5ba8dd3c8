import { WebSocket } from 'ws';
import { frameText } from './net.js';

/** A raw `ws` client whose every text frame is kept, from the first one on. */
export interface FrameClient {
  readonly socket: WebSocket;
  /** The frames received so far, in order. */
  readonly frames: readonly string[];
  /** Resolves with the `n`th frame (0-based), at once if it has arrived. */
  frame(n: number): Promise<string>;
}

/**
 * Opens a `ws` client (for engine.io's WebSocket transport, without a Socket.IO client) and
 * listens for frames before the handshake completes: engine.io writes its open packet right
 * after the 101, often in the same read as the handshake answer, before an `await` on the
 * `open` event would get to attach a listener. Rejects when the handshake is refused.
 */
export function openFrameClient(url: string, origin?: string): Promise<FrameClient> {
  const socket = new WebSocket(url, origin === undefined ? {} : { origin });
  const frames: string[] = [];
  const waiters: { n: number; resolve: (frame: string) => void; reject: (e: Error) => void }[] = [];
  socket.on('message', (data) => {
    frames.push(frameText(data));
    for (const waiter of waiters.splice(0)) {
      if (frames.length > waiter.n) waiter.resolve(frames[waiter.n]!);
      else waiters.push(waiter);
    }
  });
  socket.on('close', () => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error('closed before the frame'));
  });
  const client: FrameClient = {
    socket,
    frames,
    frame: (n) =>
      frames.length > n
        ? Promise.resolve(frames[n]!)
        : new Promise((resolve, reject) => waiters.push({ n, resolve, reject })),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      socket.terminate();
      reject(new Error(`handshake refused: ${res.statusCode}`));
    });
    socket.once('error', reject);
  });
}
