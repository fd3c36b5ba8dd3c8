import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { completeUpgrade } from './complete-upgrade.js';
import type { Checkpoint, HandshakeChecker } from './handshake-checker.js';
import { answerUnservedUpgrade } from './http-refusal.js';
import { upgradePathname } from './upgrade-path.js';

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Puts an origin check in front of every `'upgrade'` listener of one HTTP server, those added
 * later included: whoever serves a WebSocket there (a gateway adapter, GraphQL subscriptions,
 * a raw `ws` server), a refused origin gets `403` before any of them runs.
 *
 * It wraps the server's `emit`, through which Node hands every upgrade to the listeners, so it
 * runs first whatever their order. Paths an origin-checking adapter owns are passed on
 * undecided (the adapter decides them with its gateway's policy, so a handshake is decided
 * once); every other upgrade is decided here, by the checkpoint of its path or the default.
 * An upgrade that only listeners which serve their own paths saw, and none served, gets `404`.
 */
export class UpgradeGate {
  /** Checkpoints by routed path (see `upgradePathname`): explicit per-path policies. */
  private readonly paths = new Map<string, Checkpoint>();
  /** Paths that an adapter checks itself: exact routed paths, and engine.io path prefixes. */
  private readonly ownedPaths = new Set<string>();
  private readonly ownedPrefixes: string[] = [];
  /** Listeners that serve only paths registered here: they leave every other upgrade alone. */
  private readonly pathListeners = new WeakSet<Function>();
  private readonly servers = new WeakSet<Server>();

  constructor(
    private readonly checker: HandshakeChecker,
    private readonly fallback: Checkpoint,
  ) {}

  /** Decides upgrades to `path` (as routed) with `checkpoint` instead of the default. */
  protect(path: string, checkpoint: Checkpoint): void {
    this.paths.set(path, checkpoint);
  }

  /** Leaves upgrades to `path` (exact, as routed) to the adapter that checks them. */
  ownPath(path: string): void {
    this.ownedPaths.add(path);
  }

  /** Leaves upgrades whose raw target starts with `prefix` (an engine.io path) to its engine. */
  ownPrefix(prefix: string): void {
    if (!this.ownedPrefixes.includes(prefix)) this.ownedPrefixes.push(prefix);
  }

  /** Marks a listener that serves only owned paths, so an upgrade it ignores may get a 404. */
  addPathListener(listener: Function): void {
    this.pathListeners.add(listener);
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
      return this.admit(server, emit, req, socket, head);
    }) as Server['emit'];
    // Node destroys an upgrade nobody listens for; with this listener it is always emitted,
    // so an unserved one can be answered.
    const answerUnserved: UpgradeListener = (req, socket) => {
      if (this.unserved(server, req)) answerUnservedUpgrade(socket);
    };
    this.pathListeners.add(answerUnserved);
    server.on('upgrade', answerUnserved);
  }

  private admit(
    server: Server,
    emit: (event: string, ...args: unknown[]) => boolean,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): boolean {
    if (this.owned(req)) return emit('upgrade', req, socket, head);
    const checkpoint = this.paths.get(upgradePathname(req)) ?? this.fallback;
    completeUpgrade(socket, this.checker.decide(req, checkpoint), () => {
      emit('upgrade', req, socket, head);
    });
    return server.listenerCount('upgrade') > 0;
  }

  private owned(req: IncomingMessage): boolean {
    const url = req.url ?? '/';
    for (const prefix of this.ownedPrefixes) if (url.startsWith(prefix)) return true;
    return this.ownedPaths.size > 0 && this.ownedPaths.has(upgradePathname(req));
  }

  /** Every listener serves only its own paths, and this upgrade is on none of them. */
  private unserved(server: Server, req: IncomingMessage): boolean {
    if (this.owned(req)) return false;
    return server.listeners('upgrade').every((listener) => this.pathListeners.has(listener));
  }
}
