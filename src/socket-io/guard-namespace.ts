import type { Namespace, Socket } from 'socket.io';
import type { HandshakeGate } from '../handshake-gate.js';
import { recordHandshakeOrigin } from '../handshake-origin.store.js';
import { ORIGIN_REFUSED_MESSAGE } from '../origin.guard.js';
import type { EndpointPolicy } from '../origin-policy.registry.js';
import { acceptedRequest } from './accepted-handshakes.js';
import { whenDecided } from '../when-decided.js';

const guardedNamespaces = new WeakSet<Namespace>();

/**
 * Namespace middleware that runs before a client joins the namespace (so before
 * `handleConnection`): it records the handshake origin for `OriginGuard` and, where the
 * namespace's gateways declare a narrower policy than the engine's, enforces it.
 *
 * The engine gate has already accepted the handshake request for the whole engine, that is for
 * an origin allowed by any namespace on it. A namespace with the engine's policy reuses that
 * decision; one with its own policy decides the handshake request (`socket.request`) again with
 * it, and refuses with a `connect_error` whose message is "Origin not allowed".
 *
 * @param namespacePolicy The policy of the namespace's gateways; `undefined` when no gateway
 *   serves it, which leaves the engine's policy in force.
 */
export function guardNamespace(
  namespace: Namespace,
  namespacePolicy: EndpointPolicy | undefined,
  enginePolicy: EndpointPolicy,
  gate: HandshakeGate,
): void {
  if (guardedNamespaces.has(namespace)) return;
  guardedNamespaces.add(namespace);
  const own =
    namespacePolicy !== undefined &&
    namespacePolicy.policy.fingerprint !== enginePolicy.policy.fingerprint
      ? namespacePolicy
      : undefined;
  namespace.use((socket: Socket, next: (error?: Error) => void) => {
    const req = socket.request;
    const refuse = () => next(new Error(ORIGIN_REFUSED_MESSAGE));
    // Engine.io's WebTransport sessions bypass the HTTP handlers and come without a request,
    // so there is no origin to check: fail closed.
    if (req === null || req === undefined) return refuse();
    whenDecided(
      (own === undefined ? acceptedRequest(req) : undefined) ??
        gate.decide(req, own ?? enginePolicy),
      (decision) => {
        if (!decision.allowed) return refuse();
        recordHandshakeOrigin(socket, { origin: decision.origin, request: req });
        next();
      },
      refuse,
    );
  });
}
