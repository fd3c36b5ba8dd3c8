import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { HandshakeGate, routedPath } from '../handshake-gate.js';
import type { EndpointPolicy } from '../origin-policy.registry.js';
import { recordHandshakeOrigin } from '../handshake-origin.store.js';
import { settleUpgrade } from '../settle-upgrade.js';

type WsAdapterOptions = ConstructorParameters<typeof WsAdapter>[1];
type GatewayServerOptions = Record<string, unknown> & { path?: string; namespace?: string };

/**
 * Nest's `WsAdapter` with the origin policy enforced in the HTTP upgrade, before `ws` creates a
 * socket and before any gateway code runs. A refused handshake is answered with
 * `HTTP/1.1 403 Forbidden` and closed; an accepted one behaves exactly as with `WsAdapter`.
 *
 * Works for all three gateway placements: on the app's HTTP server, on a dedicated port with a
 * path, and on a dedicated port without a path.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * app.useWebSocketAdapter(new OriginWsAdapter(app));
 * ```
 * @publicApi
 */
export class OriginWsAdapter extends WsAdapter {
  private gate: HandshakeGate | undefined;

  constructor(
    private readonly app: INestApplicationContext,
    options?: WsAdapterOptions,
  ) {
    super(app, options);
  }

  override create(port: number, options: GatewayServerOptions = {}): WebSocketServer {
    this.gate ??= HandshakeGate.forApp(this.app, OriginWsAdapter.name);
    // Resolve the policy before super.create() binds a port: a failure must not leave a listener.
    const endpoint = this.gate.endpoint(port, options.path);
    const server = super.create(port, options) as WebSocketServer;
    guardUpgrades(server, endpoint, this.gate);
    return server;
  }
}

const guardedServers = new WeakSet<WebSocketServer>();

/**
 * Wraps `handleUpgrade`, the one method through which every handshake reaches a `ws` server:
 * Nest's upgrade listener calls it for servers on a shared HTTP server, and a `ws` server that
 * owns its port calls `this.handleUpgrade` from its own listener.
 */
function guardUpgrades(
  server: WebSocketServer,
  endpoint: EndpointPolicy,
  gate: HandshakeGate,
): void {
  if (guardedServers.has(server)) return;
  guardedServers.add(server);
  const path = routedPath(endpoint);
  const handleUpgrade = server.handleUpgrade.bind(server);
  server.handleUpgrade = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    accepted: (client: WebSocket, request: IncomingMessage) => void,
  ): void => {
    settleUpgrade(socket, gate.decide(req, endpoint), (decision) => {
      handleUpgrade(req, socket, head, (client, request) => {
        recordHandshakeOrigin(client, { origin: decision.origin, request: req, path });
        accepted(client, request);
      });
    });
  };
}
