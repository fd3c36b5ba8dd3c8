import { connect, type Socket } from 'node:net';
import { handshakeRequest } from './handshake-request.js';
import { maskedTextFrame } from './ws-frames.js';

export interface IoOpenJob {
  readonly port: number;
  readonly origin: string;
  readonly connections: number;
  readonly timeoutMs: number;
}

const UPGRADE_PATH = '/socket.io/?EIO=4&transport=websocket';
/** Socket.IO `CONNECT` to the main namespace, and engine.io's answer to a ping. */
const JOIN = maskedTextFrame('40');
const PONG = maskedTextFrame('3');
/** Connections opened at a time: the whole lot at once would only measure the backlog. */
const BATCH = 32;

/**
 * Socket.IO clients on raw TCP, each a WebSocket upgrade that joins the main namespace (so the
 * gateway's handlers are bound to it) and then stays connected, answering the server's pings,
 * until closed. For reading what a server holds per connected socket.
 */
export class IoConnections {
  private sockets: Socket[] = [];

  async open(job: IoOpenJob): Promise<number> {
    const request = handshakeRequest(job.port, UPGRADE_PATH, job.origin);
    for (let opened = 0; opened < job.connections; opened += BATCH) {
      const count = Math.min(BATCH, job.connections - opened);
      const batch = await Promise.all(Array.from({ length: count }, () => join(job, request)));
      this.sockets.push(...batch);
    }
    return this.sockets.length;
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets = [];
  }
}

function join(job: IoOpenJob, request: Buffer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: job.port, host: '127.0.0.1', noDelay: true });
    let joined = false;
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`Socket.IO connection: ${why}`));
    };
    socket.setTimeout(job.timeoutMs, () => fail('timed out before joining'));
    socket.on('error', (error) => {
      if (!joined) fail(error.message);
    });
    const frames = new TextFrames((opcode, text) => {
      if (opcode === 0x8) {
        if (!joined) fail('closed by the server before joining');
      } else if (text === '2') {
        socket.write(PONG);
      } else if (text.startsWith('0{')) {
        socket.write(JOIN);
      } else if (text.startsWith('40')) {
        joined = true;
        socket.setTimeout(0);
        resolve(socket);
      } else if (!joined) {
        fail(`unexpected packet ${text}`);
      }
    });
    let head = '';
    const onHead = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      if (!head.startsWith('HTTP/1.1 101')) return fail(`answered ${head.split('\r\n')[0]}`);
      socket.off('data', onHead);
      socket.on('data', (data: Buffer) => frames.feed(data));
      frames.feed(Buffer.from(head.slice(end + 4), 'latin1'));
    };
    socket.on('data', onHead);
    socket.write(request);
  });
}

/** The server's (unmasked, unfragmented) frames, whole, across chunk boundaries. */
class TextFrames {
  private pending = Buffer.alloc(0);

  constructor(private readonly onFrame: (opcode: number, text: string) => void) {}

  feed(chunk: Buffer): void {
    let bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (bytes.length < 2) break;
      const short = bytes[1]! & 0x7f;
      const headerLength = short < 126 ? 2 : short === 126 ? 4 : 10;
      if (bytes.length < headerLength) break;
      const length =
        short < 126
          ? short
          : short === 126
            ? bytes.readUInt16BE(2)
            : Number(bytes.readBigUInt64BE(2));
      if (bytes.length < headerLength + length) break;
      const payload = bytes.subarray(headerLength, headerLength + length).toString('utf8');
      this.onFrame(bytes[0]! & 0x0f, payload);
      bytes = bytes.subarray(headerLength + length);
    }
    this.pending = Buffer.from(bytes);
  }
}
