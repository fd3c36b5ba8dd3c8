import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { WebSocket, WebSocketServer } from 'ws';
import type { EndpointPolicy } from '../nest/endpoint-policies.js';
import { type OriginGuardRuntime, runtimeOf } from '../nest/origin-guard-runtime.js';
import { completeUpgrade } from '../runtime/complete-upgrade.js';
import { firstTime } from '../runtime/first-time.js';
import type { HandshakeChecker } from '../runtime/handshake-checker.js';
import { recordHandshakeOrigin } from '../runtime/handshake-origin.js';
import { answerUnservedUpgrade } from '../runtime/http-refusal.js';
import { upgradePathname } from '../runtime/upgrade-path.js';
import { bindMessageHandlers } from './message-handlers.js';
import { handOverUpgrade, registerCheckedServer } from './upgrade-route.js';
import { whenListening } from '../runtime/when-listening.js';

type WsAdapterOptions = ConstructorParameters<typeof WsAdapter>[1];
type GatewayServerOptions = Record<string, unknown> & { path?: string; namespace?: string };
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Nest's `WsAdapter` with the origin policy enforced in the HTTP upgrade, before `ws` creates a
 * socket and before any gateway code runs. A refused handshake is answered with
 * `HTTP/1.1 403 Forbidden` and closed; an accepted one behaves exactly as with `WsAdapter`.
 *
 * Works for all three gateway placements: on the app's HTTP server, on a dedicated port with a
 * path, and on a dedicated port without a path.
 *
 * Unlike `WsAdapter`, it does not destroy upgrades for paths it does not serve: another
 * listener of the server may serve them (GraphQL subscriptions, a `ws` server of your own).
 * One that nobody serves is answered `404 Not Found`.
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
  /** This adapter's upgrade listener on each HTTP server it routes, to remove on dispose. */
  private readonly listeners = new Map<Server, UpgradeListener>();

  constructor(
    private readonly app: INestApplicationContext,
    options?: WsAdapterOptions,
  ) {
    super(app, options);
  }

  override create(port: number, options: GatewayServerOptions = {}): WebSocketServer {
    this.runtime ??= runtimeOf(this.app, OriginWsAdapter.name);
    // Resolve the policy before super.create() binds a port: a failure must not leave a listener.
    const { registry, checker, enforcement, gate } = this.runtime;
    const endpoint = registry.forEndpoint(port, options.path);
    const server = super.create(port, options) as WebSocketServer;
    checkUpgrades(server, endpoint, checker);
    enforcement.claim(endpoint.gateways, this.constructor.name);
    if (port === 0 && endpoint.endpoint.path !== undefined) {
      gate.ownPath(endpoint.endpoint.path, endpoint);
    }
    const site = { transport: 'ws', enforcer: this.enforcer(), path: endpoint.endpoint.path };
    whenListening(port === 0 ? this.httpServer : undefined, (listeningPort) =>
      registry.announce(port, options.path, undefined, { ...site, listeningPort }),
    );
    return server;
  }

  /** How the startup log names what enforces the policy: this class, or a subclass of it. */
  private enforcer(): string {
    const name = this.constructor.name;
    return name === OriginWsAdapter.name ? name : `${name} (${OriginWsAdapter.name})`;
  }

  /**
   * Routes the upgrades of an HTTP server to this adapter's `ws` servers by path, as
   * `WsAdapter`'s listener does, but leaves the others alone: another listener may serve them.
   * When this is the server's only upgrade listener, nobody does, and they get a 404.
   */
  protected override ensureHttpServerExists(
    port: number,
    httpServer: Server = createServer(),
  ): Server | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    const listener: UpgradeListener = (req, socket, head) => {
      const pathname = upgradePathname(req);
      for (const wsServer of this.wsServersRegistry.get(port) ?? []) {
        if (wsServer.path !== pathname) continue;
        handOverUpgrade(wsServer as WebSocketServer, req, socket, head);
        return;
      }
      if (httpServer.listenerCount('upgrade') === 1) answerUnservedUpgrade(socket);
    };
    httpServer.on('upgrade', listener);
    this.listeners.set(httpServer, listener);
    this.runtime?.gate.addPathListener(listener);
    return httpServer;
  }

  /**
   * Nest's message dispatch, without the streams it builds per connection (see
   * `bindMessageHandlers`). A client that is not a `ws` socket gets Nest's own.
   */
  override bindMessageHandlers(
    client: WebSocket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (typeof client.addEventListener !== 'function' || typeof client.once !== 'function') {
      super.bindMessageHandlers(client, handlers, transform);
      return;
    }
    bindMessageHandlers(client, handlers, {
      handleMessage: (event, handlersMap) => this.bindMessageHandler(event, handlersMap, transform),
      logError: (error) => this.logger.error(error),
    });
  }

  override async dispose(): Promise<void> {
    for (const [httpServer, listener] of this.listeners) httpServer.off('upgrade', listener);
    this.listeners.clear();
    await super.dispose();
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
  const wrapped = (
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
  server.handleUpgrade = wrapped;
  registerCheckedServer({ server, wrapped, handleUpgrade, endpoint, checker });
}
