import type { INestApplicationContext } from '@nestjs/common';
import type { IoAdapter } from '@nestjs/platform-socket.io';
import type { Namespace, Server } from 'socket.io';
import { HandshakeGate } from '../handshake-gate.js';
import { guardEngine } from './guard-engine.js';
import { guardNamespace } from './guard-namespace.js';
import { MAIN_NAMESPACE } from './gateway-namespace.js';
import { OriginGuardConfigError } from '../policy/origin-guard-config.error.js';

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
  gate?: HandshakeGate;
  /** The engines this adapter has started, by port and engine path: path option and gateways. */
  readonly engines: Map<string, { readonly path: unknown; readonly gateways: readonly string[] }>;
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
      states.set(this, { app: args[0], engines: new Map() });
    }

    override create(port: number, options?: CreateOptions): Server | Namespace {
      const state = stateOf(this);
      const gate = gateFor(this, state);
      const path = options?.path;
      const enginePath = engineIoPath(path);
      // Resolved before super.create() binds a port: a failure must not leave a listener.
      const engineEndpoint = { ...gate.endpoint(port, path), routedPath: enginePath };
      const mainPolicy = gate.namespace(port, path, MAIN_NAMESPACE);
      const namespacePolicy =
        options?.namespace === undefined
          ? undefined
          : gate.namespace(port, path, options.namespace);
      // Nest passes `server` to add a namespace to an engine it already created.
      const startsEngine = options?.server === undefined;
      if (startsEngine) claimEnginePath(state, port, path, engineEndpoint.gateways);
      const created = super.create(port, options);
      const server = isNamespace(created) ? created.server : created;
      guardEngine(server.engine, engineEndpoint, gate);
      guardNamespace(server.sockets, mainPolicy, engineEndpoint, gate, enginePath);
      if (isNamespace(created) && created !== server.sockets) {
        guardNamespace(created, namespacePolicy, engineEndpoint, gate, enginePath);
      }
      return created;
    }
  };
  // Named after the base, for error messages: `RedisIoAdapterWithOriginCheck`.
  Object.defineProperty(OriginChecked, 'name', { value: `${Base.name}WithOriginCheck` });
  return OriginChecked;
}

function stateOf(adapter: object): AdapterState {
  const state = states.get(adapter);
  if (state === undefined) throw new Error('withOriginCheck: adapter was not constructed');
  return state;
}

function gateFor(adapter: object, state: AdapterState): HandshakeGate {
  // Looked up at the first gateway, not in the constructor: `main.ts` creates the adapter
  // before the application is initialized.
  state.gate ??= HandshakeGate.forApp(
    state.app as INestApplicationContext | undefined,
    adapter.constructor.name,
  );
  return state.gate;
}

/** The path engine.io serves, as it normalizes it: Socket.IO's default, one trailing slash. */
export function engineIoPath(path: unknown): string {
  const base = typeof path === 'string' && path !== '' ? path : '/socket.io';
  return `${base.replace(/\/$/, '')}/`;
}

/**
 * Records that an engine starts on `port` and `enginePath`, and fails when one already does.
 * Nest starts one engine per distinct `path` option, so `{}` and `{ path: '/socket.io' }`
 * get two engines on one path: the first answers every request (the second's gateways are
 * never reached, or the process crashes on an upgrade), and each engine would enforce only
 * its own gateways' policy.
 */
function claimEnginePath(
  state: AdapterState,
  port: number,
  path: unknown,
  gateways: readonly string[],
): void {
  const enginePath = engineIoPath(path);
  const key = `${port}|${enginePath}`;
  const existing = state.engines.get(key);
  if (existing === undefined) {
    state.engines.set(key, { path, gateways });
    return;
  }
  const server = port === 0 ? "the app's HTTP server" : `port ${port}`;
  const named = [...new Set([...existing.gateways, ...gateways])].toSorted();
  throw new OriginGuardConfigError('withOriginCheck', [
    {
      at: named.length === 0 ? '(gateways without origin policy)' : named.join(', '),
      value: `path options ${describePath(existing.path)} and ${describePath(path)} on ${server}`,
      problem: `would start two Socket.IO engines on one engine path, "${enginePath}", and one path can serve only one engine`,
      fix: 'write the same path option on every gateway of that engine (or omit it on all of them)',
    },
  ]);
}

function describePath(path: unknown): string {
  return path === undefined ? '(omitted)' : JSON.stringify(path);
}

/** Duck-typed: a second copy of `socket.io` in `node_modules` would defeat `instanceof`. */
function isNamespace(created: Server | Namespace): created is Namespace {
  return 'server' in created;
}
