import type { MessageMappingProperties } from '@nestjs/websockets';
import { catchError, EMPTY, filter, type Observable, Subscription, throwError } from 'rxjs';
import type { WebSocket } from 'ws';

/** `WebSocket.OPEN`, read as `WsAdapter` reads it. */
const OPEN = 1;

type HandlersMap = Map<string, MessageMappingProperties>;

/** What `WsAdapter.bindMessageHandlers` delegates to its adapter: one message, and logging. */
export interface MessageSteps {
  /** The adapter's `bindMessageHandler` (which a subclass may override), with `transform` bound. */
  readonly handleMessage: (event: unknown, handlers: HandlersMap) => Observable<unknown>;
  /** The adapter's `logger.error`. */
  readonly logError: (error: unknown) => void;
}

/**
 * Dispatches a client's messages to its gateway's handlers and sends back what they return,
 * as Nest's `WsAdapter.bindMessageHandlers` does, without the streams it builds for every
 * connection (`fromEvent` twice, `share`, `first`, `mergeMap`, `takeUntil`): in the benchmark,
 * those were about a tenth of the server CPU of each accepted handshake, paid whether or not the
 * client ever sends a message.
 *
 * What stays as it was, message by message: the `MessageEvent` from `ws`'s `addEventListener`
 * goes to `handleMessage`; results are sent as JSON while the socket is open, `null` and
 * `undefined` are not; a result stream that errors is logged and later messages go on; a
 * `handleMessage` that throws (or returns no `Observable`) ends the client's dispatch, and the
 * error is reported to rxjs as unhandled; when the client closes, dispatch ends and every result
 * stream still running is unsubscribed (`test/ws/ws-message-dispatch.e2e.spec.ts` runs both
 * adapters side by side).
 */
export function bindMessageHandlers(
  client: WebSocket,
  handlers: readonly MessageMappingProperties[],
  steps: MessageSteps,
): void {
  // Built at the first message, not at the handshake: many clients never send one.
  let handlersMap: HandlersMap | undefined;
  const running = new Subscription();
  const send = (response: unknown): void => {
    if (client.readyState !== OPEN) return;
    client.send(JSON.stringify(response));
  };
  const stop = (): void => {
    client.removeEventListener('message', onMessage);
    client.off('close', stop);
    running.unsubscribe();
  };
  const onMessage = (event: unknown): void => {
    handlersMap ??= new Map(handlers.map((handler) => [handler.message, handler]));
    let answers: Observable<unknown>;
    try {
      answers = steps.handleMessage(event, handlersMap).pipe(
        filter((result) => result !== null && result !== undefined),
        catchError((error: unknown) => {
          steps.logError(error);
          return EMPTY;
        }),
      );
    } catch (error) {
      // A throw, or a result without `pipe`: Nest's `mergeMap` then errors the client's
      // stream, which has no error handler.
      stop();
      throwError(() => error).subscribe(send);
      return;
    }
    // A stream that has already completed is not kept; one still running leaves `running`
    // by itself when it ends.
    running.add(answers.subscribe(send));
  };
  // In Nest's order: the close listener (`takeUntil`'s) first, then the message listener.
  client.once('close', stop);
  client.addEventListener('message', onMessage);
}
