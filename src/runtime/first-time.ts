import { clientSlot } from './client-slot.js';

/**
 * A marker for objects the library wraps (a `ws` server, an engine.io server, a namespace):
 * the returned function answers `true` the first time it sees an object and `false` after,
 * so wrapping twice (two gateways on one server) wraps once.
 */
export function firstTime(name: string): (target: object) => boolean {
  const seen = clientSlot<true>(name);
  return (target) => {
    if (seen.get(target) === true) return false;
    seen.set(target, true);
    return true;
  };
}
