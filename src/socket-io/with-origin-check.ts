import type { Server as HttpServer } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Namespace, Server, Socket } from 'socket.io';
import { MAIN_NAMESPACE } from '../nest/namespace-key.js';
import { type OriginGuardRuntime, runtimeOf } from '../nest/origin-guard-runtime.js';
import { checkEngineRequests } from './engine-requests.js';
import { EnginePaths, engineIoPath } from './engine-paths.js';
import { whenListening } from '../runtime/when-listening.js';
import { checkNamespaceJoins } from './namespace-joins.js';
import { bindIoMessageHandlers } from './message-handlers.js';

/**
 * A class that extends Nest's `IoAdapter` and, like it, takes the Nest application as its
 * first constructor argument: what `withOriginCheck()` accepts.
 *
 * @example
 * ```ts
 * class RedisIoAdapter extends IoAdapter {}
 * const Base: IoAdapterClass = RedisIoAdapter;
 * ```
 * @publicApi
 */
// oxlint-disable-next-line typescript/no-explicit-any -- TypeScript only accepts `any[]` as a mixin base's constructor parameters (TS2545).
export type IoAdapterClass = new (...args: any[]) => IoAdapter;

type CreateOptions = Parameters<IoAdapter['create']>[1];

/** State kept outside the class, so the mixin adds no member to the base class's type. */
interface AdapterState {
  readonly app: unknown;
  runtime?: OriginGuardRuntime;
  readonly engines: EnginePaths;
}
const states = new WeakMap<object, AdapterState>();

/**
 * Adds the origin check to an `IoAdapter` class, typically one the application already has
 * (for the Redis adapter, for instance). Overrides of `createIOServer` keep working: the check
 * is installed on whatever server they return, in `create()`, which Nest calls for every
 * gateway.
 *
 * What the returned class checks:
 * - every engine.io HTTP request under the server's path, before engine.io handles it (see
 *   `checkEngineRequests`), against the policy of the gateways on that port and path;
 * - every namespace join, against the namespace's own policy when it is narrower (see
 *   `checkNamespaceJoins`); the origin is recorded there for `OriginGuard`.
 *
 * @example
 * ```ts
 * class RedisIoAdapter extends IoAdapter {
 *   override createIOServer(port: number, options?: ServerOptions) {
 *     return super.createIOServer(port, options).adapter(createAdapter(pub, sub));
 *   }
 * }
 * const OriginRedisIoAdapter = withOriginCheck(RedisIoAdapter);
 *
 * app.useWebSocketAdapter(new OriginRedisIoAdapter(app));
 * ```
 * @publicApi
 */
export function withOriginCheck<TBase extends IoAdapterClass>(Base: TBase): TBase {
  // A base class with a dispatch of its own keeps it.
  const nestDispatch =
    Base.prototype.bindMessageHandlers === IoAdapter.prototype.bindMessageHandlers;
  // Typed as `TBase`: the override adds no member, and an inferred class type would have to
  // spell out IoAdapter's private members in the emitted declarations (TS4094).
  const OriginChecked = class extends Base {
    // oxlint-disable-next-line typescript/no-explicit-any -- required mixin constructor signature (TS2545).
    constructor(...args: any[]) {
      super(...args);
      states.set(this, { app: args[0], engines: new EnginePaths() });
    }

    override create(port: number, options?: CreateOptions): Server | Namespace {
      const state = stateOf(this);
      // Looked up at the first gateway, not in the constructor: `main.ts` creates the adapter
      // before the application is initialized.
      state.runtime ??= runtimeOf(
        state.app as INestApplicationContext | undefined,
        this.constructor.name,
      );
      const runtime = state.runtime;
      const { registry, checker } = runtime;
      const path = options?.path;
      // Resolved before super.create() binds a port: a failure must not leave a listener.
      const engineEndpoint = { ...registry.forEndpoint(port, path), path: engineIoPath(path) };
      const mainPolicy = registry.forNamespace(port, path, MAIN_NAMESPACE);
      const namespacePolicy =
        options?.namespace === undefined
          ? undefined
          : registry.forNamespace(port, path, options.namespace);
      // Nest passes `server` to add a namespace to an engine it already created.
      const startsEngine = options?.server === undefined;
      if (startsEngine) state.engines.claim(port, path, engineEndpoint.gateways);
      const appServer = port === 0 ? (this.httpServer as HttpServer | undefined) : undefined;
      const listenersBefore = appServer?.listeners('upgrade') ?? [];
      const created = super.create(port, options);
      const server = isNamespace(created) ? created.server : created;
      runtime.enforcement.claim(
        [...engineEndpoint.gateways, ...(namespacePolicy?.gateways ?? [])],
        this.constructor.name,
      );
      if (appServer !== undefined && startsEngine) {
        // The app-wide gate decides the engine's upgrades as the engine would (which then
        // reuses the decision), and may answer one that only the engine's listener saw and
        // did not serve.
        runtime.gate.ownPrefix(engineEndpoint.path, engineEndpoint);
        for (const listener of appServer.listeners('upgrade')) {
          if (!listenersBefore.includes(listener)) runtime.gate.addPathListener(listener);
        }
      }
      checkEngineRequests(server.engine, engineEndpoint, checker, registry.allowJsonpPolling);
      checkNamespaceJoins(server.sockets, mainPolicy, engineEndpoint, checker);
      if (isNamespace(created) && created !== server.sockets) {
        checkNamespaceJoins(created, namespacePolicy, engineEndpoint, checker);
      }
      const site = {
        transport: 'Socket.IO',
        enforcer: enforcerName(this.constructor.name, Base.name),
        path: engineEndpoint.path,
      };
      whenListening(appServer, (listeningPort) =>
        registry.announce(port, path, options?.namespace, { ...site, listeningPort }),
      );
      return created;
    }

    /**
     * Nest's event dispatch, without the streams it builds per handler and connection (see
     * `bindIoMessageHandlers`), unless the base class dispatches by itself.
     */
    override bindMessageHandlers(
      socket: Socket,
      handlers: MessageMappingProperties[],
      transform: (data: unknown) => Observable<unknown>,
    ): void {
      if (!nestDispatch) {
        super.bindMessageHandlers(socket, handlers, transform);
        return;
      }
      bindIoMessageHandlers(socket, handlers, transform, {
        mapPayload: (payload) => this.mapPayload(payload),
        logError: (error) => this.logger.error(error),
      });
    }
  };
  // Named after the base, for error messages: `RedisIoAdapterWithOriginCheck`.
  Object.defineProperty(OriginChecked, 'name', { value: `${Base.name}WithOriginCheck` });
  return OriginChecked;
}

/**
 * How the startup log names what enforces the policy: `OriginIoAdapter`,
 * `withOriginCheck(RedisIoAdapter)`, or a subclass of either with what it extends.
 */
function enforcerName(className: string, baseName: string): string {
  const mixin = `withOriginCheck(${baseName})`;
  if (className === `${baseName}WithOriginCheck`) return mixin;
  if (className === 'OriginIoAdapter' && baseName === 'IoAdapter') return className;
  return `${className} (${mixin})`;
}

function stateOf(adapter: object): AdapterState {
  const state = states.get(adapter);
  if (state === undefined) throw new Error('withOriginCheck: adapter was not constructed');
  return state;
}

/** Duck-typed: a second copy of `socket.io` in `node_modules` would defeat `instanceof`. */
function isNamespace(created: Server | Namespace): created is Namespace {
  return 'server' in created;
}
