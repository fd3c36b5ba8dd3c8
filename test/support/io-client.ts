import { io, type Manager, type Socket } from 'socket.io-client';

export type IoTransport = 'websocket' | 'polling';

export interface IoConnectOptions {
  /** Sent as the `Origin` header of every engine.io request (Node clients only). */
  readonly origin?: string;
  /** Omitted: the default, a polling handshake then an upgrade to WebSocket. */
  readonly transports?: IoTransport[];
  /** The engine.io path; `/socket.io` when omitted. */
  readonly path?: string;
}

export type IoOutcome =
  | { readonly connected: true; readonly socket: Socket }
  | {
      readonly connected: false;
      /** `connect_error` message: a transport error, or the `Error` of namespace middleware. */
      readonly message: string;
      /** For transport errors: the HTTP status (polling) or the ws client error (websocket). */
      readonly description?: unknown;
    };

/**
 * Connects a real `socket.io-client` to `url` (which names the namespace) without reconnection,
 * and resolves on `connect` or on the first `connect_error`.
 */
export function connectIo(url: string, options: IoConnectOptions = {}): Promise<IoOutcome> {
  const socket = io(url, {
    forceNew: true,
    reconnection: false,
    path: options.path,
    transports: options.transports,
    extraHeaders: options.origin === undefined ? {} : { Origin: options.origin },
  });
  return outcomeOf(socket, () => socket.close());
}

/**
 * `connectIo`, for a case that only asks whether the client gets in: closes a connected socket
 * at once and resolves with `'connected'`, or with the failed outcome.
 */
export async function tryConnectIo(
  url: string,
  options: IoConnectOptions = {},
): Promise<'connected' | Extract<IoOutcome, { connected: false }>> {
  const outcome = await connectIo(url, options);
  if (!outcome.connected) return outcome;
  outcome.socket.close();
  return 'connected';
}

/**
 * Joins one namespace over an existing connection (a `Manager` multiplexes namespaces over one
 * engine.io session), and resolves on `connect` or on the first `connect_error`.
 */
export function joinNamespace(manager: Manager, namespace: string): Promise<IoOutcome> {
  const socket = manager.socket(namespace);
  socket.connect();
  return outcomeOf(socket, () => socket.disconnect());
}

function outcomeOf(socket: Socket, onError: () => void): Promise<IoOutcome> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true, socket }));
    socket.once('connect_error', (error: Error & { description?: unknown }) => {
      onError();
      // The websocket transport reports the ws client's ErrorEvent; keep only its message.
      const raw = error.description as { message?: unknown } | undefined;
      const description =
        typeof raw === 'object' && raw !== null && typeof raw.message === 'string'
          ? raw.message
          : raw;
      resolve(
        description === undefined
          ? { connected: false, message: error.message }
          : { connected: false, message: error.message, description },
      );
    });
  });
}

/** Emits an event with an acknowledgement-free Nest reply (`{ event, data }`) and waits for it. */
export function ioRoundTrip(
  socket: Socket,
  event: string,
  data: unknown,
): Promise<{ reply: unknown } | { exception: unknown; disconnect: string }> {
  return new Promise((resolve) => {
    let exception: unknown;
    socket.once(event, (reply: unknown) => resolve({ reply }));
    socket.once('exception', (payload: unknown) => (exception = payload));
    socket.once('disconnect', (reason: string) => resolve({ exception, disconnect: reason }));
    socket.emit(event, data);
  });
}

/** Resolves once the client is on the WebSocket transport (at once if it already is). */
export function upgraded(socket: Socket): Promise<void> {
  const engine = socket.io.engine;
  if (engine.transport.name === 'websocket') return Promise.resolve();
  return new Promise((resolve) => engine.once('upgrade', () => resolve()));
}
