import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket } from 'ws';

/** A port that was free a moment ago, for gateways that need their own fixed port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RawResponse {
  /** Everything the server wrote before closing (or before the headers ended, for a 101). */
  readonly raw: string;
  readonly statusLine: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  /** Whether the server closed the connection by itself. */
  readonly closedByServer: boolean;
}

/**
 * Sends a WebSocket handshake byte for byte, with exactly the header lines given (in order,
 * duplicates kept), and reads the answer. A `101` answer is read up to the end of its headers.
 */
export function rawHandshake(
  port: number,
  path: string,
  extraHeaders: ReadonlyArray<readonly [string, string]>,
  options: { version?: string; host?: string } = {},
): Promise<RawResponse> {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${options.host ?? `127.0.0.1:${port}`}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    `Sec-WebSocket-Version: ${options.version ?? '13'}`,
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...extraHeaders.map(([name, value]) => `${name}: ${value}`),
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    let settled = false;
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(parseResponse(raw, closedByServer));
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      raw += chunk;
      if (raw.startsWith('HTTP/1.1 101') && raw.includes('\r\n\r\n')) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error) => (settled ? undefined : reject(error)));
    socket.write(Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'));
  });
}

function parseResponse(raw: string, closedByServer: boolean): RawResponse {
  const headerEnd = raw.indexOf('\r\n\r\n');
  const head = headerEnd === -1 ? raw : raw.slice(0, headerEnd);
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = headerEnd === -1 ? '' : raw.slice(headerEnd + 4);
  return { raw, statusLine, headers, body, closedByServer };
}

export type WsOutcome =
  | { readonly opened: true; readonly socket: WebSocket }
  | { readonly opened: false; readonly statusCode: number | undefined; readonly error?: string };

/** Opens a real `ws` client; resolves with the socket, or with the HTTP status of a refusal. */
export function openWs(url: string, origin?: string): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, origin === undefined ? {} : { origin });
    socket.once('open', () => resolve({ opened: true, socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ opened: false, statusCode: res.statusCode });
      res.resume();
      socket.terminate();
    });
    socket.once('error', (error) =>
      resolve({ opened: false, statusCode: undefined, error: error.message }),
    );
  });
}

/** The text of a received WebSocket message, whichever form `ws` delivered it in. */
export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

/** Sends one Nest-style event and waits for the first reply or the close. */
export function roundTrip(
  socket: WebSocket,
  event: string,
  data: unknown,
): Promise<{ reply?: unknown; closeCode?: number; closeReason?: string }> {
  return new Promise((resolve) => {
    socket.once('message', (message) => resolve({ reply: JSON.parse(frameText(message)) }));
    socket.once('close', (code, reason) =>
      resolve({ closeCode: code, closeReason: String(reason) }),
    );
    socket.send(JSON.stringify({ event, data }));
  });
}

/** Asserts that the handshake was accepted and returns the open socket. */
export function expectOpened(outcome: WsOutcome): WebSocket {
  if (!outcome.opened) {
    throw new Error(`expected the handshake to be accepted, got ${JSON.stringify(outcome)}`);
  }
  return outcome.socket;
}
