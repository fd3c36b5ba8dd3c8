import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { handshakeRequest } from './handshake-request.js';
import { quantileOfSorted } from './stats.js';
import { FrameCounter, maskedTextFrame } from './ws-frames.js';

export interface OpenJob {
  readonly port: number;
  readonly path: string;
  readonly origin: string;
  readonly connections: number;
  readonly timeoutMs: number;
}

export interface PumpJob {
  /** The gateway event to send; the reply must carry the same event name. */
  readonly event: string;
  readonly durationMs: number;
  readonly maxCount: number;
  readonly timeoutMs: number;
}

export interface PumpResult {
  readonly roundTrips: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connections the server closed (e.g. `OriginGuard` refusing with 1008): must be 0. */
  readonly closedByServer: number;
  readonly firstReply: string | undefined;
  readonly clientCpuShare: number;
}

interface Connection {
  readonly socket: Socket;
  readonly frames: FrameCounter;
  sentAt: number;
  awaiting: boolean;
  closed: boolean;
}

/**
 * Round trips on open WebSocket connections, one message in flight per connection, with
 * frames prebuilt and replies counted, not parsed, to keep the client cheap.
 */
export class MessageLoad {
  private connections: Connection[] = [];

  async open(job: OpenJob): Promise<number> {
    const request = handshakeRequest(job.port, job.path, job.origin);
    this.connections = await Promise.all(
      Array.from({ length: job.connections }, () => openOne(job, request)),
    );
    return this.connections.length;
  }

  pump(job: PumpJob): Promise<PumpResult> {
    const frame = maskedTextFrame(JSON.stringify({ event: job.event, data: { n: 1, text: 'hi' } }));
    const latencies = new Float64Array(job.maxCount);
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const deadline = start + job.durationMs;
    let sent = 0;
    let roundTrips = 0;
    let lastCompletion = start;
    let closedByServer = 0;
    let firstReply: string | undefined;

    const send = (c: Connection) => {
      c.awaiting = true;
      c.sentAt = performance.now();
      sent++;
      c.socket.write(frame);
    };

    return new Promise((resolve) => {
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(guardTimer);
        for (const c of this.connections) c.socket.removeAllListeners('data');
        const elapsedMs = Math.min(deadline, lastCompletion) - start;
        const sorted = latencies.subarray(0, roundTrips).toSorted();
        const cpu = process.cpuUsage(cpuBefore);
        resolve({
          roundTrips,
          perSecond: (roundTrips * 1000) / elapsedMs,
          p50Ms: quantileOfSorted(sorted, 0.5),
          p99Ms: quantileOfSorted(sorted, 0.99),
          closedByServer,
          firstReply,
          clientCpuShare: (cpu.user + cpu.system) / 1000 / (performance.now() - start),
        });
      };
      const guardTimer = setTimeout(finish, job.durationMs + job.timeoutMs);

      const settleIfIdle = () => {
        if (this.connections.every((c) => !c.awaiting || c.closed)) finish();
      };

      for (const c of this.connections) {
        c.socket.on('data', (chunk: Buffer) => {
          const count = c.frames.feed(chunk);
          if (count === 0) return;
          if (c.frames.lastOpcode === 0x8) {
            c.closed = true;
            closedByServer++;
            settleIfIdle();
            return;
          }
          firstReply ??= c.frames.firstText;
          const now = performance.now();
          if (now <= deadline) {
            latencies[roundTrips++] = now - c.sentAt;
            lastCompletion = now;
          }
          c.awaiting = false;
          if (now < deadline && sent < job.maxCount) send(c);
          else settleIfIdle();
        });
      }
      for (const c of this.connections) {
        c.frames.firstText = undefined; // capture this pump's first reply
        if (!c.closed) send(c);
      }
    });
  }

  close(): void {
    for (const c of this.connections) c.socket.destroy();
    this.connections = [];
  }
}

function openOne(job: OpenJob, request: Buffer): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: job.port, host: '127.0.0.1', noDelay: true });
    let head = '';
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`message connection: ${why}`));
    };
    socket.setTimeout(job.timeoutMs, () => fail('handshake timed out'));
    socket.on('error', (error) => fail(error.message));
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      if (!head.startsWith('HTTP/1.1 101')) return fail(`answered ${head.split('\r\n')[0]}`);
      socket.off('data', onData);
      socket.setTimeout(0);
      const frames = new FrameCounter();
      // The server sends nothing before the first message; anything here is a protocol error.
      if (end + 4 < head.length) return fail('unexpected bytes after the 101 answer');
      resolve({ socket, frames, sentAt: 0, awaiting: false, closed: false });
    };
    socket.on('data', onData);
    socket.write(request);
  });
}
