import type { OriginCheckContext } from '../../src/policy/handshake-request.js';

// Test helpers of the predicate cache specs (src/policy/predicate-cache*.spec.ts).

/** One look-up: the four fields a predicate may read, and so the cache key must tell apart. */
export interface Call {
  readonly origin: string;
  readonly host: string | undefined;
  readonly path: string;
  readonly gateway: string | undefined;
}

/**
 * FNV-1a over all four fields, with `undefined` and `''` told apart, then murmur3's finalizer:
 * FNV-1a's low bit alone is the parity of the characters, the same for any two calls whose
 * fields hold the same characters (a word moved from host to path).
 */
export function hashOf(call: Call): number {
  const text = JSON.stringify([call.origin, call.host ?? null, call.path, call.gateway ?? null]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The context `PredicateRunner.run` gets for `call`, with a header the cache must ignore. */
export function contextOf(call: Call): OriginCheckContext {
  return {
    host: call.host,
    path: call.path,
    gateway: call.gateway,
    headers: { cookie: 'sid=ignored-by-the-cache' },
  };
}
