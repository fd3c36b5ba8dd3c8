import type { Namespace, Socket } from 'socket.io';
import { ORIGIN_REFUSED_MESSAGE } from '../constants.js';
import type { EndpointPolicy } from '../nest/endpoint-policies.js';
import type { OriginDecision } from '../policy/origin-decision.js';
import { clientSlot } from '../runtime/client-slot.js';
import { firstTime } from '../runtime/first-time.js';
import type { HandshakeChecker } from '../runtime/handshake-checker.js';
import { recordHandshakeOrigin } from '../runtime/handshake-origin.js';
import { acceptedRequest } from './accepted-requests.js';
import { type EngineConnection, takeConnectCarrier } from './connect-carriers.js';

/** What Socket.IO hands `Namespace._createSocket` (an internal method, stable across 4.x). */
interface JoiningClient {
  readonly conn: EngineConnection;
}
type CreateSocket = (client: JoiningClient, auth: Record<string, unknown>) => Promise<Socket>;
interface SocketFactory {
  _createSocket?: CreateSocket;
}
/** Socket.IO's `ParentNamespace`, the namespace of a RegExp or function name. */
interface ParentNamespaceLike {
  createChild?: (name: string) => Namespace;
}

/** Whether the namespace's socket factory allowed the join of a socket. */
const joinAllowed = clientSlot<boolean>('join-allowed');

const firstCheck = firstTime('checked-namespace');

/**
 * Checks every join of a namespace before the client is in it, so before `handleConnection`
 * and before Socket.IO restores a recovered session.
 *
 * A join is decided where Socket.IO creates the namespace's socket (`_createSocket`): on the
 * origin of the session's handshake request and of the request that carried the CONNECT
 * packet (see `connect-carriers.ts`), both against the namespace's policy. A refused client's
 * socket is created without its recovery data (`pid`/`offset`), so no missed packet is replayed
 * to it and `connectionStateRecovery.skipMiddlewares` cannot let it through; the namespace
 * middleware installed here, which runs first, then refuses it with a `connect_error` whose
 * message is "Origin not allowed". An accepted join records the origin for `OriginGuard`.
 *
 * Where the namespace has the engine's policy, the engine check has already decided both
 * requests, and its decisions are reused.
 *
 * @param namespacePolicy The policy of the namespace's gateways; `undefined` when no gateway
 *   serves it, which leaves the engine's policy in force.
 */
export function checkNamespaceJoins(
  namespace: Namespace,
  namespacePolicy: EndpointPolicy | undefined,
  enginePolicy: EndpointPolicy,
  checker: HandshakeChecker,
): void {
  if (!firstCheck(namespace)) return;
  const own =
    namespacePolicy !== undefined &&
    namespacePolicy.policy.fingerprint !== enginePolicy.policy.fingerprint
      ? { ...namespacePolicy, path: enginePolicy.path }
      : undefined;
  const judge: Judge = async (conn, name) => {
    const handshake = conn.request;
    const carrier = takeConnectCarrier(conn, name);
    // Engine.io's WebTransport sessions bypass the HTTP handlers and come without a request:
    // no origin to check, fail closed. So does a CONNECT whose carrier is unknown.
    if (handshake === undefined || handshake === null) return undefined;
    if (own === undefined)
      return acceptedRequest(handshake) ?? checker.decide(handshake, enginePolicy);
    if (carrier === undefined) return undefined;
    const first = await checker.decide(handshake, own);
    if (!first.allowed || carrier === handshake) return first;
    const second = await checker.decide(carrier, own);
    return second.allowed ? first : second;
  };
  judgeJoins(namespace, judge, enginePolicy.path);
  namespace.use((socket: Socket, next: (error?: Error) => void) => {
    // A socket this namespace's factory did not judge is refused too: fail closed.
    if (joinAllowed.get(socket) === true) next();
    else next(new Error(ORIGIN_REFUSED_MESSAGE));
  });
}

/** Decides a join of the namespace `name` (a child's own name for a dynamic namespace). */
type Judge = (conn: EngineConnection, name: string) => Promise<OriginDecision | undefined>;

/**
 * Wraps the namespace's socket factory with `judge`. A dynamic (RegExp) namespace never
 * creates sockets itself: each child it creates is wrapped instead (children copy its
 * middleware, so they share the refusal).
 */
function judgeJoins(namespace: Namespace, judge: Judge, routedPath: string): void {
  const parent = namespace as unknown as ParentNamespaceLike;
  if (typeof parent.createChild === 'function') {
    const createChild = parent.createChild.bind(namespace);
    parent.createChild = (name: string) => {
      const child = createChild(name);
      judgeJoins(child, judge, routedPath);
      return child;
    };
    return;
  }
  const factory = namespace as unknown as SocketFactory;
  if (typeof factory._createSocket !== 'function') {
    throw new Error(
      `withOriginCheck: this socket.io version's Namespace has no _createSocket(), where namespace joins are checked ` +
        '(socket.io 4.8 has it). Install socket.io ^4.8.',
    );
  }
  const createSocket = factory._createSocket.bind(namespace);
  factory._createSocket = async (client, auth) => {
    let decision: OriginDecision | undefined;
    try {
      decision = await judge(client.conn, namespace.name);
    } catch {
      decision = undefined;
    }
    if (decision === undefined || !decision.allowed) {
      const { pid: _pid, offset: _offset, ...fresh } = auth ?? {};
      const socket = await createSocket(client, fresh);
      joinAllowed.set(socket, false);
      return socket;
    }
    const socket = await createSocket(client, auth);
    joinAllowed.set(socket, true);
    recordHandshakeOrigin(socket, {
      origin: decision.origin,
      request: client.conn.request,
      path: routedPath,
    });
    return socket;
  };
}
