import type { IncomingMessage } from 'node:http';

/**
 * Which HTTP request carried each Socket.IO CONNECT packet of an engine.io connection: the
 * polling POST it came in, or the WebSocket upgrade whose socket it came over. A namespace join
 * is decided on that request's origin, not only on the session's first request, so a `sid`
 * minted from one origin cannot be used from another to join a namespace only the first may
 * join.
 *
 * Engine.io emits `packet` on its socket synchronously while the carrying request is being
 * read (a polling transport holds it as `dataReq` until the body is parsed), before Socket.IO
 * decodes the packet; WebSocket transports are tagged with their upgrade request when
 * engine.io creates them (`tagTransportRequests`).
 */

/** The subset of engine.io's `Socket` read here (some of it engine.io-internal). */
export interface EngineConnection {
  readonly protocol: number;
  readonly request: IncomingMessage;
  readonly transport: EngineTransport;
  on(event: 'packet', listener: (packet: { type: string; data?: unknown }) => void): unknown;
}

interface EngineTransport {
  readonly name: string;
  /** Polling transports: the POST whose body is being read. */
  readonly dataReq?: IncomingMessage | null;
}

const TRANSPORT_REQUEST = Symbol('nestjs-origin-guard:transport-request');
const CARRIERS = Symbol('nestjs-origin-guard:connect-carriers');

interface Tagged {
  [TRANSPORT_REQUEST]?: IncomingMessage;
}

interface Tracked {
  /** `null` from the start of tracking until the first CONNECT; absent before tracking. */
  [CARRIERS]?: Map<string, IncomingMessage | undefined> | null;
}

/**
 * A client names the namespaces it joins, so the map is bounded: a flood of CONNECTs to
 * names that no namespace serves only clears it.
 */
const MAX_PENDING_CONNECTS = 16;

/**
 * Tags each WebSocket transport engine.io creates with its upgrade request. Polling transports
 * are not tagged: each of their requests is read as `dataReq`, and engine.io keeps a closed
 * polling transport for up to 30 s (its `closeTimeout`, waiting for a last poll), which a tag
 * would make keep the handshake request and its TCP socket too, about 3.9 KB a session.
 */
export function tagTransportRequests(engine: {
  createTransport: (name: string, req: IncomingMessage) => object;
}): void {
  const createTransport = engine.createTransport.bind(engine);
  engine.createTransport = (name: string, req: IncomingMessage): object => {
    const transport = createTransport(name, req);
    if (name !== 'polling') (transport as Tagged)[TRANSPORT_REQUEST] = req;
    return transport;
  };
}

/**
 * Starts recording the carrier of each CONNECT packet that arrives on `conn`. Called from the
 * engine's `connection` event, after Socket.IO's own listener: an engine.io 3 client's
 * automatic join of the main namespace has then already been judged, on the handshake.
 */
export function trackConnectCarriers(conn: EngineConnection): void {
  (conn as Tracked)[CARRIERS] = null;
  conn.on('packet', recordConnectCarrier);
}

/**
 * The `packet` listener of every tracked connection (an emitter calls it with itself as
 * `this`): one function for all, and a map only once a CONNECT arrives, since a connection that
 * never joins a namespace, or joins once, needs neither a closure nor a map of its own.
 */
function recordConnectCarrier(this: EngineConnection, packet: { type: string; data?: unknown }) {
  if (packet.type !== 'message' || typeof packet.data !== 'string') return;
  // Socket.IO packet type 0 is CONNECT.
  if (packet.data.charCodeAt(0) !== 0x30) return;
  const tracked = this as Tracked;
  const carriers = (tracked[CARRIERS] ??= new Map());
  if (carriers.size >= MAX_PENDING_CONNECTS) carriers.clear();
  carriers.set(connectNamespace(packet.data, this.protocol), currentRequest(this));
}

/**
 * The request that carried the CONNECT to `namespace`, taken once; `undefined` when unknown
 * (the caller fails closed). Engine.io 3 clients join the main namespace without a CONNECT
 * packet: Socket.IO connects them inside the engine's `connection` event, before tracking
 * starts, and the handshake is then the carrier. Any later join without a recorded carrier
 * (a main-namespace CONNECT spelled so that this parse and Socket.IO's disagree) fails closed.
 */
export function takeConnectCarrier(
  conn: EngineConnection,
  namespace: string,
): IncomingMessage | undefined {
  const carriers = (conn as Tracked)[CARRIERS];
  if (carriers?.has(namespace) === true) {
    const carrier = carriers.get(namespace);
    carriers.delete(namespace);
    return carrier;
  }
  const automaticJoin = carriers === undefined && conn.protocol === 3 && namespace === '/';
  return automaticJoin ? conn.request : undefined;
}

function currentRequest(conn: EngineConnection): IncomingMessage | undefined {
  const transport = conn.transport;
  if (transport.name === 'polling') return transport.dataReq ?? undefined;
  return (transport as Tagged)[TRANSPORT_REQUEST];
}

/**
 * The namespace of an encoded CONNECT packet, as Socket.IO reads it: its parser takes the
 * name up to the first comma (`0/admin,{…}`, `0/admin`, or `0…` for the main namespace), and
 * for engine.io 3 clients, which may add a query (`0/admin?token=1`), Socket.IO keeps the
 * WHATWG URL path of it, which also resolves `.`, `..`, `%2e` and backslashes.
 */
export function connectNamespace(data: string, protocol: number): string {
  if (data.charAt(1) !== '/') return '/';
  const comma = data.indexOf(',', 1);
  const name = comma === -1 ? data.slice(1) : data.slice(1, comma);
  if (protocol !== 3) return name;
  try {
    return new URL(name, 'https://socket.io').pathname;
  } catch {
    // No namespace has that name; the join finds no carrier and is refused.
    return name;
  }
}
