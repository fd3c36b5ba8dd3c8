import type { INestApplicationContext } from '@nestjs/common';
import type { IoAdapter } from '@nestjs/platform-socket.io';
import type { Namespace, Server } from 'socket.io';
import { HandshakeGate } from '../handshake-gate.js';
import { guardEngine } from './guard-engine.js';
import { guardNamespace } from './guard-namespace.js';
import { MAIN_NAMESPACE } from './gateway-namespace.js';

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
const gates = new WeakMap<object, { app: unknown; gate?: HandshakeGate }>();

/**
 * Adds the origin check to an `IoAdapter` class, typically one the application already has
 * (for the Redis adapter, for instance). Overrides of `createIOServer` keep working: the check
 * is installed on whatever server they return, in `create()`, which Nest calls for every
 * gateway.
 *
 * What the returned class checks:
 * - every engine.io HTTP request under the server's path, before engine.io handles it (see
 *   `guardEngine`), against the policy of the gateways on that port and path;
 * - in each gateway namespace's middleware, the namespace's own policy when it is narrower
 *   (see `guardNamespace`); the origin is recorded there for `OriginGuard`.
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
  // Typed as `TBase`: the override adds no member, and an inferred class type would have to
  // spell out IoAdapter's private members in the emitted declarations (TS4094).
  const OriginChecked = class extends Base {
    // oxlint-disable-next-line typescript/no-explicit-any -- required mixin constructor signature (TS2545).
    constructor(...args: any[]) {
      super(...args);
      gates.set(this, { app: args[0] });
    }

    override create(port: number, options?: CreateOptions): Server | Namespace {
      const gate = gateFor(this);
      const path = options?.path;
      // Resolved before super.create() binds a port: a failure must not leave a listener.
      const engineEndpoint = gate.endpoint(port, path);
      const mainPolicy = gate.namespace(port, path, MAIN_NAMESPACE);
      const namespacePolicy =
        options?.namespace === undefined
          ? undefined
          : gate.namespace(port, path, options.namespace);
      const created = super.create(port, options);
      const server = isNamespace(created) ? created.server : created;
      guardEngine(server.engine, engineEndpoint, gate);
      guardNamespace(server.sockets, mainPolicy, engineEndpoint, gate);
      if (isNamespace(created) && created !== server.sockets) {
        guardNamespace(created, namespacePolicy, engineEndpoint, gate);
      }
      return created;
    }
  };
  // Named after the base, for error messages: `RedisIoAdapterWithOriginCheck`.
  Object.defineProperty(OriginChecked, 'name', { value: `${Base.name}WithOriginCheck` });
  return OriginChecked;
}

function gateFor(adapter: object): HandshakeGate {
  const state = gates.get(adapter);
  if (state === undefined) throw new Error('withOriginCheck: adapter was not constructed');
  // Looked up at the first gateway, not in the constructor: `main.ts` creates the adapter
  // before the application is initialized.
  state.gate ??= HandshakeGate.forApp(
    state.app as INestApplicationContext | undefined,
    adapter.constructor.name,
  );
  return state.gate;
}

/** Duck-typed: a second copy of `socket.io` in `node_modules` would defeat `instanceof`. */
function isNamespace(created: Server | Namespace): created is Namespace {
  return 'server' in created;
}
