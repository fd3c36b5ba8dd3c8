/**
 * A private property on objects the library does not own (a `ws` client, a Socket.IO socket,
 * an `IncomingMessage`), under a symbol no other code can name.
 *
 * A property rather than a `WeakMap`: measured on every accepted handshake, the `WeakMap`
 * write (and the GC work of its ephemeron table) was the largest single cost this library
 * added (see BENCHMARKS.md).
 */
export interface ClientSlot<T> {
  get(holder: object): T | undefined;
  set(holder: object, value: T): void;
}

export function clientSlot<T>(name: string): ClientSlot<T> {
  const key = Symbol(`nestjs-origin-guard:${name}`);
  return {
    get: (holder) => (holder as Record<symbol, T | undefined>)[key],
    set: (holder, value) => {
      (holder as Record<symbol, T>)[key] = value;
    },
  };
}
