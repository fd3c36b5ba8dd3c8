/**
 * The close code `OriginGuard` closes a plain `ws` client with. RFC 6455 §7.4.1: "an endpoint
 * is terminating the connection because it has received a message that violates its policy".
 *
 * @example
 * ```ts
 * socket.onclose = (event) => event.code === POLICY_VIOLATION_CLOSE_CODE && showOriginError();
 * ```
 * @publicApi
 */
export const POLICY_VIOLATION_CLOSE_CODE = 1008;

/**
 * The reason and message sent with a refusal that a client can see: the ws close reason of
 * `OriginGuard`, its Socket.IO `exception` message, and a namespace's `connect_error`.
 *
 * @example
 * ```ts
 * socket.on('connect_error', (error) => error.message === ORIGIN_REFUSED_MESSAGE && showOriginError());
 * ```
 * @publicApi
 */
export const ORIGIN_REFUSED_MESSAGE = 'Origin not allowed';
