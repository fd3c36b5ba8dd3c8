import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { Observable } from 'rxjs';

/**
 * What the ws and Socket.IO dispatch specs share: each runs a gateway against Nest's adapter
 * and ours side by side.
 */

/** Rethrows: the handler's error then reaches the adapter, which logs it. */
@Catch()
export class RethrowFilter implements ExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): never {
    throw exception;
  }
}

/** Counts a result stream's subscriptions and unsubscriptions. */
export interface StreamCounts {
  subscribed: number;
  unsubscribed: number;
}

/** A result stream that never ends on its own: a `tick` every 5 ms until unsubscribed. */
export function ticking(counts: StreamCounts): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    counts.subscribed++;
    const timer = setInterval(() => subscriber.next({ event: 'tick' }), 5);
    return () => {
      clearInterval(timer);
      counts.unsubscribed++;
    };
  });
}

/** Polls `condition` every 5 ms; fails naming `what` after 5 s. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
