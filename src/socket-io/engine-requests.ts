import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server } from 'socket.io';
import type { EndpointPolicy } from '../nest/endpoint-policies.js';
import type { AllowedDecision, OriginDecision } from '../policy/origin-decision.js';
import { completeUpgrade } from '../runtime/complete-upgrade.js';
import { firstTime } from '../runtime/first-time.js';
import type { HandshakeChecker } from '../runtime/handshake-checker.js';
import { refuseResponse, refuseUpgrade } from '../runtime/http-refusal.js';
import { isPromiseLike } from '../runtime/maybe-async.js';
import { rememberAcceptedRequest } from './accepted-requests.js';
import {
  type EngineConnection,
  tagTransportRequests,
  trackConnectCarriers,
} from './connect-carriers.js';
import { plainQueryPreset } from './engine-query.js';
import { isJsonpRequest } from './jsonp-request.js';

type Engine = Server['engine'];

/** Engine.io methods this gate wraps; `createTransport` is engine.io-internal. */
interface GatedEngine {
  handleRequest?: unknown;
  handleUpgrade?: unknown;
  createTransport?: unknown;
}

const firstCheck = firstTime('checked-engine');

/**
 * Checks the origin of every HTTP request that reaches an engine.io server, before engine.io
 * looks at it.
 *
 * `handleRequest` and `handleUpgrade` are the two methods through which engine.io's `attach()`
 * hands over every request under its path, whether the engine shares the app's HTTP server or
 * Socket.IO created a server for its own port: the polling handshake, each later poll and POST
 * that carries a `sid`, CORS preflights, and WebSocket upgrades with or without a `sid`.
 * Engine.io's own `allowRequest` hook skips requests with a `sid` and answers refused upgrades
 * with 400; this gate does neither, and refuses with 403 before engine.io middleware (`cors`
 * included), `allowRequest`, Socket.IO middleware, namespaces or gateway code run. JSONP
 * polling requests are refused outright unless `allowJsonpPolling` is set.
 *
 * Each request is decided once, from its raw header lines. The gate also records which
 * request carried each CONNECT packet (see `connect-carriers.ts`), for namespace checks, and
 * hands engine.io the plain queries of the requests it lets through already parsed (see
 * `engine-query.ts`).
 */
export function checkEngineRequests(
  engine: Engine,
  endpoint: EndpointPolicy,
  checker: HandshakeChecker,
  allowJsonpPolling: boolean,
): void {
  const methods = engine as unknown as GatedEngine;
  if (
    typeof methods.handleRequest !== 'function' ||
    typeof methods.handleUpgrade !== 'function' ||
    typeof methods.createTransport !== 'function'
  ) {
    // Failing closed: an engine we cannot gate would accept every origin.
    throw new Error(
      'withOriginCheck: this Socket.IO server has no engine.io handleRequest/handleUpgrade/createTransport to check origins on. ' +
        'Only engine.io 6 servers attached to a Node HTTP server are supported.',
    );
  }
  if (!firstCheck(engine)) return;
  tagTransportRequests(
    engine as unknown as { createTransport: (name: string, req: IncomingMessage) => object },
  );
  engine.on('connection', (conn: EngineConnection) => trackConnectCarriers(conn));
  const handleRequest = engine.handleRequest.bind(engine);
  const handleUpgrade = engine.handleUpgrade.bind(engine);
  const presetQuery = plainQueryPreset(engine) ?? (() => {});
  const admit = (req: IncomingMessage, res: ServerResponse, decision: OriginDecision): void => {
    if (!decision.allowed) return refuseResponse(res);
    rememberAcceptedRequest(req, decision);
    presetQuery(req);
    handleRequest(req, res);
  };
  engine.handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const decision =
      !allowJsonpPolling && isJsonpRequest(req.url)
        ? checker.refuse(req, endpoint, 'jsonp')
        : checker.decide(req, endpoint);
    // Every poll and POST of every session comes through here: no closure when the decision
    // is ready at once, as it is unless a predicate is being asked.
    if (!isPromiseLike(decision)) return admit(req, res, decision);
    decision.then(
      (settled) => admit(req, res, settled),
      () => refuseResponse(res),
    );
  };
  const upgrade = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    decision: AllowedDecision,
  ) => {
    rememberAcceptedRequest(req, decision);
    presetQuery(req);
    handleUpgrade(req, socket, head);
  };
  engine.handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const decision = checker.decide(req, endpoint);
    // As for polling requests: no closure when the decision is ready at once.
    if (isPromiseLike(decision)) {
      completeUpgrade(socket, decision, (settled) => upgrade(req, socket, head, settled));
    } else if (decision.allowed) {
      upgrade(req, socket, head, decision);
    } else {
      refuseUpgrade(socket);
    }
  };
}
