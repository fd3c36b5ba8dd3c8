import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server } from 'socket.io';
import type { HandshakeGate } from '../handshake-gate.js';
import type { EndpointPolicy } from '../origin-policy.registry.js';
import { settleUpgrade } from '../settle-upgrade.js';
import { rememberAcceptedRequest } from './accepted-handshakes.js';
import { rejectPollingRequest } from './reject-polling-request.js';
import { whenDecided } from '../when-decided.js';

type Engine = Server['engine'];

const guardedEngines = new WeakSet<Engine>();

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
 * included), `allowRequest`, Socket.IO middleware, namespaces or gateway code run.
 *
 * Each request is decided once, from its raw header lines.
 */
export function guardEngine(engine: Engine, endpoint: EndpointPolicy, gate: HandshakeGate): void {
  if (guardedEngines.has(engine)) return;
  if (typeof engine.handleRequest !== 'function' || typeof engine.handleUpgrade !== 'function') {
    // Failing closed: an engine we cannot gate would accept every origin.
    throw new Error(
      'withOriginCheck: this Socket.IO server has no engine.io handleRequest/handleUpgrade to check origins on. ' +
        'Only engine.io servers attached to a Node HTTP server are supported.',
    );
  }
  guardedEngines.add(engine);
  const handleRequest = engine.handleRequest.bind(engine);
  const handleUpgrade = engine.handleUpgrade.bind(engine);
  engine.handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const refuse = () => rejectPollingRequest(res);
    whenDecided(
      gate.decide(req, endpoint),
      (decision) => {
        if (!decision.allowed) return refuse();
        rememberAcceptedRequest(req, decision);
        handleRequest(req, res);
      },
      refuse,
    );
  };
  engine.handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    settleUpgrade(socket, gate.decide(req, endpoint), (decision) => {
      rememberAcceptedRequest(req, decision);
      handleUpgrade(req, socket, head);
    });
  };
}
