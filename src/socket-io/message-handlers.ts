import type { MessageMappingProperties } from '@nestjs/websockets';
import { catchError, defer, EMPTY, filter, type Observable, Subscription, throwError } from 'rxjs';

/** The Socket.IO socket as dispatch uses it: Node's `EventEmitter` methods and `emit`. */
export interface DispatchedSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
}

/** What `IoAdapter.bindMessageHandlers` delegates to its adapter: payloads, and logging. */
export interface IoMessageSteps {
  /** The adapter's `mapPayload` (which a subclass may override). */
  readonly mapPayload: (payload: unknown) => { data?: unknown; ack?: unknown };
  /** The adapter's `logger.error`. */
  readonly logError: (error: unknown) => void;
}

/**
 * Dispatches a socket's events to its gateway's handlers and answers with what they return, as
 * Nest's `IoAdapter.bindMessageHandlers` does, without the streams it builds for every handler
 * of every connection (`fromEvent`, `mergeMap`, `takeUntil` and a shared `disconnect` stream):
 * measured, those held about 4 KB of heap per handler for as long as the socket stays
 * connected, whether or not its client ever sends that event.
 *
 * What stays as it was, event by event: the listener is the handler's own, added with `on()`
 * in handler order after one `disconnect` listener; its arguments are one payload (or an array
 * when there are several), mapped by `mapPayload`; a result with an `event` is emitted, any
 * other is handed to the acknowledgement (unless the handler takes it itself); `null` and
 * `undefined` are not; a handler or result stream that fails is logged and later events go
 * on; a `mapPayload` that throws silences that event for the socket, and an answer that throws
 * (a reserved event name) is reported, both to rxjs as unhandled; at `disconnect`, every
 * listener is removed and every result stream still running is unsubscribed
 * (`test/socket-io/io-message-dispatch.e2e.spec.ts` runs both adapters side by side). Unlike
 * Nest's, it keeps no `disconnect` stream in the adapter's `disconnectMap`, so a socket that two
 * gateways serve gets a `disconnect` listener from each, where Nest's share one.
 */
export function bindIoMessageHandlers(
  socket: DispatchedSocket,
  handlers: readonly MessageMappingProperties[],
  transform: (data: unknown) => Observable<unknown>,
  steps: IoMessageSteps,
): void {
  const running = new Subscription();
  const listening: [string, (...args: unknown[]) => void][] = [];
  const stop = (): void => {
    for (const [message, listener] of listening) socket.off(message, listener);
    running.unsubscribe();
  };
  socket.once('disconnect', stop);
  for (const { message, callback, isAckHandledManually } of handlers) {
    const listener = (...args: unknown[]): void => {
      let mapped: { data?: unknown; ack?: unknown };
      try {
        mapped = steps.mapPayload(args.length > 1 ? args : args[0]);
      } catch (error) {
        // Nest's `mergeMap` then errors this event's stream, which removes its listener.
        socket.off(message, listener);
        reportUnhandled(error);
        return;
      }
      const { data, ack } = mapped;
      const answers = defer(() => transform(callback(data, ack))).pipe(
        filter((response) => response !== null && response !== undefined),
        catchError((error: unknown) => {
          steps.logError(error);
          return EMPTY;
        }),
      );
      // A stream that has already completed is not kept; one still running leaves `running`
      // by itself when it ends.
      running.add(
        answers.subscribe((response) =>
          answer(socket, response, isAckHandledManually ? undefined : ack),
        ),
      );
    };
    listening.push([message, listener]);
    socket.on(message, listener);
  }
}

/**
 * Emits a result that names an `event`; hands any other to the acknowledgement, if there is
 * one (`undefined` when the handler takes it itself). A throw is reported, as rxjs reports one
 * from Nest's subscriber, and dispatch goes on.
 */
function answer(socket: DispatchedSocket, response: unknown, ack: unknown): void {
  const { event, data } = response as { event?: unknown; data?: unknown };
  try {
    if (event) socket.emit(event as string, data);
    else if (typeof ack === 'function') ack(response);
  } catch (error) {
    reportUnhandled(error);
  }
}

/** What rxjs does with an error no subscriber handles: `config.onUnhandledError`, or a throw. */
function reportUnhandled(error: unknown): void {
  throwError(() => error).subscribe();
}
