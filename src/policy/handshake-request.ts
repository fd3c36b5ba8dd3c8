/**
 * The parts of a handshake the policy reads. Adapters pass Node's `IncomingMessage`, which
 * has this shape; the engine itself never depends on Node's HTTP types.
 *
 * @publicApi
 */
export interface HandshakeRequest {
  /** Header names and values, alternating, exactly as received (`IncomingMessage.rawHeaders`). */
  readonly rawHeaders: readonly string[];
  /**
   * The request target (`/chat?x=1`). The policy does not read it: decisions and events use
   * the routed path (`DecisionScope.path`), never what the client wrote.
   * @default undefined
   */
  readonly url?: string | undefined;
  /**
   * The connection: its peer address (for `trustProxy`) and whether it is TLS (for
   * `sameOrigin`).
   * @default undefined
   */
  readonly socket?: {
    readonly remoteAddress?: string | undefined;
    /** Set on TLS sockets. */
    readonly encrypted?: boolean | undefined;
  };
}

/**
 * Which endpoint a decision is for: given to predicates and to the decision hook.
 *
 * @example
 * ```ts
 * policy.evaluate(req, { gateways: ['ChatGateway'], path: '/chat' });
 * ```
 * @publicApi
 */
export interface DecisionScope {
  /** Class names of the gateways on the endpoint. */
  readonly gateways: readonly string[];
  /**
   * The path the request was routed by: the gateway's normalized `path` option (Socket.IO:
   * the engine path, e.g. `/socket.io/`), or `*` for a server that answers on every path.
   * Never the raw request target, which the client chooses freely.
   *
   * @default '*'
   */
  readonly path?: string;
}

/**
 * What an origin predicate is told about the handshake besides the origin.
 *
 * @example
 * ```ts
 * const perTenant: OriginPredicate = (origin, { host }) => tenants.originsOf(host).includes(origin);
 * ```
 * @publicApi
 */
export interface OriginCheckContext {
  /** The `Host` header (or the forwarded host from a trusted proxy), lower-cased. */
  readonly host: string | undefined;
  /**
   * The path the gateway is served on, as configured and normalized (`/chat`; Socket.IO: the
   * engine path such as `/socket.io/`), or `*` for a gateway that owns a port and answers on
   * every path. Not the raw request target: that is the client's to choose, so an answer
   * cached by it could be multiplied without bound.
   */
  readonly path: string;
  /** The gateway class name(s) on this endpoint, or `undefined` for a handler check. */
  readonly gateway: string | undefined;
  /** Request headers with lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
}

export function headerRecord(rawHeaders: readonly string[]): Record<string, string> {
  const record: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    record[name] = name in record ? `${record[name]}, ${value}` : value;
  }
  return record;
}
