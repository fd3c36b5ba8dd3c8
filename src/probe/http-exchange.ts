import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import {
  completeBody,
  type HttpResponse,
  MAX_BODY_BYTES,
  parseHead,
  type ResponseHead,
} from './http-response.js';
import type { ProbeTarget } from './probe-target.js';
import { closeFrame, hasCloseFrame } from './websocket-frames.js';

/** What one request got. */
export type Answer =
  | { readonly kind: 'response'; readonly response: HttpResponse }
  /** Connected and sent, but the server closed or reset the connection without an HTTP answer. */
  | { readonly kind: 'closed'; readonly detail: string }
  /** Connected and sent, but nothing complete came back within the timeout. */
  | { readonly kind: 'timeout' }
  /** No connection: refused, no route, a DNS or TLS failure, or none within the timeout. */
  | { readonly kind: 'unreachable'; readonly detail: string };

export interface ExchangeSettings {
  /** For the whole exchange: connecting, the answer and, after a `101`, the closing handshake. */
  readonly timeoutMs: number;
  /** Accept any TLS certificate (self-signed test servers). */
  readonly insecure: boolean;
}

/** Nothing a handshake answer needs is larger: more means this is not one. */
const MAX_HEAD_BYTES = 32 * 1024;

const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

/**
 * Sends one request on a connection of its own and reads the answer. After a `101` the only
 * thing sent is a close frame; the exchange ends when the server's close frame arrives or it
 * closes the connection. The connection is always destroyed at the end.
 */
export function exchange(
  target: ProbeTarget,
  request: Buffer,
  settings: ExchangeSettings,
): Promise<Answer> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    let head: ResponseHead | undefined;
    let connected = false;
    let settled = false;
    const socket: Socket = target.tls
      ? connectTls({
          host: target.host,
          port: target.port,
          servername: isIP(target.host) === 0 ? target.host : undefined,
          rejectUnauthorized: !settings.insecure,
          ALPNProtocols: ['http/1.1'],
        })
      : connectTcp({ host: target.host, port: target.port });

    const finish = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const answered = (body: string): Answer => ({
      kind: 'response',
      response: { status: head!.status, reason: head!.reason, headers: head!.headers, body },
    });
    const ended = (error?: Error) => {
      if (!connected) finish({ kind: 'unreachable', detail: describe(error, 'connection closed') });
      else if (head === undefined) {
        finish({ kind: 'closed', detail: describe(error, 'closed without an answer') });
      } else finish(answered(head.status === 101 ? '' : (completeBody(head, data, true) ?? '')));
    };
    const timer = setTimeout(() => {
      if (!connected) {
        finish({ kind: 'unreachable', detail: `no connection within ${settings.timeoutMs} ms` });
      } else if (head !== undefined) ended();
      else finish({ kind: 'timeout' });
    }, settings.timeoutMs);

    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      connected = true;
      socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      if (data.length < MAX_HEAD_BYTES + MAX_BODY_BYTES) data = Buffer.concat([data, chunk]);
      if (head === undefined) {
        head = parseHead(data);
        if (head === undefined) {
          if (data.length > MAX_HEAD_BYTES)
            finish({ kind: 'closed', detail: 'not an HTTP answer' });
          return;
        }
        if (head.status === 101) socket.write(closeFrame());
      }
      if (head.status === 101) {
        if (hasCloseFrame(data.subarray(head.bodyStart))) finish(answered(''));
        return;
      }
      const body = completeBody(head, data, false);
      if (body !== undefined) finish(answered(body));
    });
    socket.on('end', () => ended());
    socket.on('close', () => ended());
    socket.on('error', (error) => ended(error));
  });
}

function describe(error: Error | undefined, fallback: string): string {
  if (error === undefined) return fallback;
  const code = (error as { code?: unknown }).code;
  const hint =
    typeof code === 'string' && CERTIFICATE_ERRORS.test(code)
      ? ' (--insecure accepts it, for a test server)'
      : '';
  return `${error.message}${hint}`;
}
