import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { completeUpgrade } from './complete-upgrade.js';
import type { Checkpoint } from './checkpoint.js';
import type { HandshakeChecker } from './handshake-checker.js';
import { answerUnservedUpgrade, refuseUpgrade } from './http-refusal.js';
import { isPromiseLike } from './maybe-async.js';
import { upgradePathname } from './upgrade-path.js';

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Puts an origin check in front of every `'upgrade'` listener of one HTTP server, those added
 * later included: whoever serves a WebSocket there (a gateway adapter, GraphQL subscriptions,
 * a raw `ws` server), a refused origin gets `403` before any of them runs.
 *
 * It wraps the server's `emit`, through which Node hands every upgrade to the listeners, so it
 * runs first whatever their order, and no listener sees an upgrade it has not decided: one on a
 * path an origin-checking adapter serves by that adapter's checkpoint (the adapter then reuses
 * the decision, so a handshake is decided once), any other by the checkpoint of its path or
 * the default. An upgrade that only listeners which serve their own paths saw, and none
 * served, gets `404`.
 */
export class UpgradeGate {
  /** Checkpoints by routed path (see `upgradePathname`): explicit per-path policies. */
  private readonly paths = new Map<string, Checkpoint>();
  /** Paths an adapter serves, with its checkpoint: exact routed paths, engine.io prefixes. */
  private readonly ownedPaths = new Map<string, Checkpoint>();
  private readonly ownedPrefixes: { readonly prefix: string; readonly checkpoint: Checkpoint }[] =
    [];
  /** Listeners that serve only paths registered here: they leave every other upgrade alone. */
  private readonly pathListeners = new WeakSet<Function>();
  private readonly servers = new WeakSet<Server>();
  /**
   * Per server, whether every `'upgrade'` listener is a path listener: worked out again only
   * after the listeners change, not on every upgrade.
   */
  private onlyPathListeners = new WeakMap<Server, boolean>();
  /** The upgrade being handed to the listeners now, and whether an adapter owns its path. */
  private admitted: IncomingMessage | undefined;
  private admittedOwned = false;

  constructor(
    private readonly checker: HandshakeChecker,
    private readonly fallback: Checkpoint,
  ) {}

  /** Decides upgrades to `path` (as routed) with `checkpoint` instead of the default. */
  protect(path: string, checkpoint: Checkpoint): void {
    this.paths.set(path, checkpoint);
  }

  /** Decides upgrades to `path` (exact, as routed) with the checkpoint of the adapter serving it. */
  ownPath(path: string, checkpoint: Checkpoint): void {
    this.ownedPaths.set(path, checkpoint);
  }

  /** Decides upgrades whose raw target starts with `prefix` (an engine.io path) like its engine. */
  ownPrefix(prefix: string, checkpoint: Checkpoint): void {
    if (!this.ownedPrefixes.some((owned) => owned.prefix === prefix)) {
      this.ownedPrefixes.push({ prefix, checkpoint });
    }
  }

  /** Marks a listener that serves only owned paths, so an upgrade it ignores may get a 404. */
  addPathListener(listener: Function): void {
    this.pathListeners.add(listener);
    this.onlyPathListeners = new WeakMap();
  }

  /** Installs the gate on `server`; installing it twice is a no-op. */
  install(server: Server): void {
    if (this.servers.has(server)) return;
    this.servers.add(server);
    const emit = server.emit.bind(server) as (
      event: string | symbol,
      ...args: unknown[]
    ) => boolean;
    server.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
      if (event !== 'upgrade') return emit(event, ...args);
      const [req, socket, head] = args as [IncomingMessage, Duplex, Buffer];
      return this.admit(emit, req, socket, head);
    }) as Server['emit'];
    // Node destroys an upgrade nobody listens for; with this listener it is always emitted,
    // so an unserved one can be answered.
    const answerUnserved: UpgradeListener = (req, socket) => {
      if (this.unserved(server, req)) answerUnservedUpgrade(socket);
    };
    this.pathListeners.add(answerUnserved);
    server.on('upgrade', answerUnserved);
    const listenersChanged = (event: string | symbol) => {
      if (event === 'upgrade') this.onlyPathListeners.delete(server);
    };
    server.on('newListener', listenersChanged);
    server.on('removeListener', listenersChanged);
  }

  private admit(
    emit: (event: string, ...args: unknown[]) => boolean,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): boolean {
    // An engine.io upgrade is routed by the prefix of its raw target, without parsing it.
    let owner = this.prefixOwner(req);
    let checkpoint = owner;
    if (checkpoint === undefined) {
      const pathname = upgradePathname(req);
      owner = this.ownedPaths.get(pathname);
      checkpoint = owner ?? this.paths.get(pathname) ?? this.fallback;
    }
    const decision = this.checker.decideFirst(req, checkpoint);
    // A decision ready at once (no predicate asked) is acted on without a closure.
    if (isPromiseLike(decision)) {
      completeUpgrade(socket, decision, () => this.handOver(emit, req, socket, head, owner));
    } else if (decision.allowed) {
      this.handOver(emit, req, socket, head, owner);
    } else {
      refuseUpgrade(socket);
    }
    // What `emit` returns when the event has listeners: Node emits an upgrade only then.
    return true;
  }

  /** Gives an admitted upgrade to the listeners, telling the 404 listener who owns it. */
  private handOver(
    emit: (event: string, ...args: unknown[]) => boolean,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    owner: Checkpoint | undefined,
  ): void {
    this.admitted = req;
    this.admittedOwned = owner !== undefined;
    try {
      emit('upgrade', req, socket, head);
    } finally {
      this.admitted = undefined;
    }
  }

  /** The checkpoint of the engine.io server whose path prefixes this upgrade's target, if any. */
  private prefixOwner(req: IncomingMessage): Checkpoint | undefined {
    const url = req.url ?? '/';
    for (const { prefix, checkpoint } of this.ownedPrefixes) {
      if (url.startsWith(prefix)) return checkpoint;
    }
    return undefined;
  }

  /** Every listener serves only its own paths, and this upgrade is on none of them. */
  private unserved(server: Server, req: IncomingMessage): boolean {
    const owned =
      req === this.admitted
        ? this.admittedOwned
        : (this.prefixOwner(req) ?? this.ownedPaths.get(upgradePathname(req))) !== undefined;
    if (owned) return false;
    let only = this.onlyPathListeners.get(server);
    if (only === undefined) {
      only = server.listeners('upgrade').every((listener) => this.pathListeners.has(listener));
      this.onlyPathListeners.set(server, only);
    }
    return only;
  }
}
