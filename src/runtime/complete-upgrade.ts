import type { Duplex } from 'node:stream';
import type { AllowedDecision, OriginDecision } from '../policy/origin-decision.js';
import { refuseUpgrade } from './http-refusal.js';
import { isPromiseLike, type MaybePromise } from './maybe-async.js';

/**
 * Completes an upgrade once its decision is known: `accept` for an allowed origin, the 403
 * answer otherwise. A synchronous decision is acted on at once.
 *
 * While a predicate decides, nothing listens for errors on the raw socket (Node's HTTP server
 * lets go of it when it emits 'upgrade', and `ws` only listens once it has it), so a client
 * that resets the connection then would raise an unhandled 'error' and take the process down.
 * The socket is destroyed quietly instead, and a decision that arrives for a destroyed socket
 * is dropped.
 */
export function completeUpgrade(
  socket: Duplex,
  decision: MaybePromise<OriginDecision>,
  accept: (decision: AllowedDecision) => void,
): void {
  if (!isPromiseLike(decision)) {
    if (decision.allowed) accept(decision);
    else refuseUpgrade(socket);
    return;
  }
  const destroyOnError = () => socket.destroy();
  socket.on('error', destroyOnError);
  decision.then(
    (settled) => {
      socket.off('error', destroyOnError);
      if (socket.destroyed) return;
      if (settled.allowed) accept(settled);
      else refuseUpgrade(socket);
    },
    () => {
      socket.off('error', destroyOnError);
      refuseUpgrade(socket);
    },
  );
}
