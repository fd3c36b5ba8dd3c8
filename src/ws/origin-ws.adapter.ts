import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { EndpointPolicy } from '../nest/endpoint-policies.js';
import { type OriginGuardRuntime, runtimeOf } from '../nest/origin-guard-runtime.js';
import { completeUpgrade } from '../runtime/complete-upgrade.js';
import { firstTime } from '../runtime/first-time.js';
import type { HandshakeChecker } from '../runtime/handshake-checker.js';
import { recordHandshakeOrigin } from '../runtime/handshake-origin.js';

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
  private runtime: OriginGuardRuntime | undefined;

  constructor(
    private readonly app: INestApplicationContext,
    options?: WsAdapterOptions,
  ) {
    super(app, options);
  }

  override create(port: number, options: GatewayServerOptions = {}): WebSocketServer {
    this.runtime ??= runtimeOf(this.app, OriginWsAdapter.name);
    // Resolve the policy before super.create() binds a port: a failure must not leave a listener.
    const endpoint = this.runtime.registry.forEndpoint(port, options.path);
    const server = super.create(port, options) as WebSocketServer;
    checkUpgrades(server, endpoint, this.runtime.checker);
    return server;
  }
}

const firstCheck = firstTime('checked-ws-server');

/**
 * Wraps `handleUpgrade`, the one method through which every handshake reaches a `ws` server:
 * Nest's upgrade listener calls it for servers on a shared HTTP server, and a `ws` server that
 * owns its port calls `this.handleUpgrade` from its own listener.
 */
function checkUpgrades(
  server: WebSocketServer,
  endpoint: EndpointPolicy,
  checker: HandshakeChecker,
): void {
  if (!firstCheck(server)) return;
  const { path } = endpoint;
  const handleUpgrade = server.handleUpgrade.bind(server);
  server.handleUpgrade = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    accepted: (client: WebSocket, request: IncomingMessage) => void,
  ): void => {
    completeUpgrade(socket, checker.decide(req, endpoint), (decision) => {
      handleUpgrade(req, socket, head, (client, request) => {
        recordHandshakeOrigin(client, { origin: decision.origin, request: req, path });
        accepted(client, request);
      });
    });
  };
}
