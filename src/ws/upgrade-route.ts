import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { AllowedDecision } from '../policy/origin-decision.js';
import { clientSlot } from '../runtime/client-slot.js';
import { completeUpgrade } from '../runtime/complete-upgrade.js';
import type { HandshakeChecker } from '../runtime/handshake-checker.js';
import { recordHandshakeOrigin } from '../runtime/handshake-origin.js';
import { refuseUpgrade } from '../runtime/http-refusal.js';
import { isPromiseLike } from '../runtime/maybe-async.js';
import type { EndpointPolicy } from '../nest/endpoint-policies.js';

type HandleUpgrade = WebSocketServer['handleUpgrade'];

/** What `checkUpgrades` wrapped on one `ws` server: enough to take the same route without it. */
export interface CheckedServer {
  readonly server: WebSocketServer;
  /** The wrapper `checkUpgrades` installed as `server.handleUpgrade`. */
  readonly wrapped: HandleUpgrade;
  /** `ws`'s own `handleUpgrade`, bound to the server. */
  readonly handleUpgrade: HandleUpgrade;
  readonly endpoint: EndpointPolicy;
  readonly checker: HandshakeChecker;
}

interface Route extends CheckedServer {
  /** Made once per server, so an accepted handshake makes no closure of its own. */
  readonly upgraded: (client: WebSocket, request: IncomingMessage) => void;
}

const routes = clientSlot<Route>('checked-route');

/**
 * The decision of the handshake `ws` is completing. `handleUpgrade` calls back synchronously
 * when no `verifyClient` is set (the only case routed here), so one variable is enough.
 */
let accepting: AllowedDecision | undefined;

/** Remembers a checked server, for `handOverUpgrade`. */
export function registerCheckedServer(checked: CheckedServer): void {
  const { server, endpoint } = checked;
  const upgraded = (client: WebSocket, request: IncomingMessage): void => {
    const decision = accepting!;
    accepting = undefined;
    recordHandshakeOrigin(client, { origin: decision.origin, request, path: endpoint.path });
    // What the adapter's upgrade listener does with every accepted client.
    server.emit('connection', client, request);
  };
  routes.set(server, { ...checked, upgraded });
}

/**
 * Hands an upgrade that the adapter's listener routed to `server` over, exactly as the listener
 * did before (`server.handleUpgrade(…)`, then `connection` with the client and the request),
 * but for a checked server without the per-handshake closures of the `handleUpgrade` wrapper
 * and of the listener's callback: the decision, `ws`'s own `handleUpgrade` and a callback made
 * once per server. A server whose `handleUpgrade` was replaced after ours, or that has a
 * `verifyClient` (which may call back later), takes the wrapper as before.
 */
export function handOverUpgrade(
  server: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const route = routes.get(server);
  if (
    route === undefined ||
    server.handleUpgrade !== route.wrapped ||
    // Read as `ws` reads it: its default is `null`, not `undefined`.
    (server.options as { verifyClient?: unknown }).verifyClient
  ) {
    server.handleUpgrade(req, socket, head, (client) => {
      server.emit('connection', client, req);
    });
    return;
  }
  upgradeChecked(route, req, socket, head);
}

/** What the `handleUpgrade` wrapper of `checkUpgrades` does, without its closures. */
function upgradeChecked(
  route: Route,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const decision = route.checker.decide(request, route.endpoint);
  if (isPromiseLike(decision)) {
    completeUpgrade(socket, decision, (settled) => handOver(route, request, socket, head, settled));
  } else if (decision.allowed) {
    handOver(route, request, socket, head, decision);
  } else {
    refuseUpgrade(socket);
  }
}

function handOver(
  route: Route,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  decision: AllowedDecision,
): void {
  accepting = decision;
  route.handleUpgrade(request, socket, head, route.upgraded);
}
