/**
 * Values that are usually ready at once and only sometimes pending: a decision is a promise
 * only while a predicate is being asked, and a hook may or may not return one. The synchronous
 * path stays synchronous (no microtask per handshake).
 */
export type MaybePromise<T> = T | PromiseLike<T>;

export function isPromiseLike<T>(value: MaybePromise<T>): value is PromiseLike<T> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs `then` with the value once it is ready. A promise that rejects (the policy engine
 * promises never to) runs `failed`: for decisions, a refusal, failing closed.
 */
export function whenReady<T>(
  value: MaybePromise<T>,
  then: (value: T) => void,
  failed: () => void,
): void {
  if (isPromiseLike(value)) value.then(then, failed);
  else then(value);
}

/** Applies `map` now, or when the value is ready. */
export function mapReady<T, U>(value: MaybePromise<T>, map: (value: T) => U): MaybePromise<U> {
  return isPromiseLike(value) ? value.then(map) : map(value);
}
