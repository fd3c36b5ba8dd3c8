import { LRUCache } from 'lru-cache';
import type { OriginCheckContext } from './handshake-request.js';

/**
 * An allowlist entry that decides at handshake time, e.g. from the tenant domains in a
 * database. It receives the normalized serialized origin (never a malformed one: those are
 * refused before any predicate runs) and must answer `true` or `false`.
 *
 * Results are cached per origin, host, path and gateway (see `PredicateSettings`), so a
 * predicate must not depend on other headers such as cookies.
 *
 * @example
 * ```ts
 * const tenantOrigin: OriginPredicate = async (origin) => tenants.hasOrigin(origin);
 * ```
 * @publicApi
 */
export type OriginPredicate = (
  origin: string,
  context: OriginCheckContext,
) => boolean | Promise<boolean>;

/**
 * How predicates are run.
 *
 * @example { timeoutMs: 500, cacheTtlMs: 30000, cacheMaxEntries: 10000, onFailure: 'refuse' }
 * @publicApi
 */
export interface PredicateSettings {
  /**
   * How long a predicate may take before the handshake is decided as a failure.
   * @default 2000
   */
  readonly timeoutMs: number;
  /**
   * How long an answer (allow or deny) is reused for the same origin, host, path and gateway.
   * @default 60000
   */
  readonly cacheTtlMs: number;
  /**
   * At most this many answers are cached; the least recently used go first.
   * @default 10000
   */
  readonly cacheMaxEntries: number;
  /**
   * What a predicate that throws, times out or answers something other than a boolean means:
   * `'refuse'` (fail closed) or `'allow'` (fail open). Each failure is logged.
   * @default 'refuse'
   */
  readonly onFailure: 'refuse' | 'allow';
}

export const DEFAULT_PREDICATE_SETTINGS: PredicateSettings = {
  timeoutMs: 2000,
  cacheTtlMs: 60_000,
  cacheMaxEntries: 10_000,
  onFailure: 'refuse',
};

export interface PredicateVerdict {
  readonly allowed: boolean;
  /** Set when the predicate failed; `allowed` then follows `onFailure`. */
  readonly failure?: string;
}

interface Call {
  readonly origin: string;
  readonly context: OriginCheckContext;
}

/**
 * Runs one predicate with a timeout, caches its answers and makes concurrent look-ups of one
 * key share a single call (lru-cache's `fetch`). A cached answer is returned synchronously, so
 * repeat handshakes cost a map look-up.
 */
export class PredicateRunner {
  private readonly cache: LRUCache<string, boolean, Call>;

  constructor(
    predicate: OriginPredicate,
    private readonly settings: PredicateSettings,
  ) {
    this.cache = new LRUCache<string, boolean, Call>({
      max: settings.cacheMaxEntries,
      ttl: settings.cacheTtlMs,
      fetchMethod: async (_key, _stale, { context }) => {
        const answer = await withTimeout(
          () => predicate(context.origin, context.context),
          settings.timeoutMs,
        );
        if (typeof answer !== 'boolean') {
          throw new PredicateFailure(`returned ${describeValue(answer)} instead of true or false`);
        }
        return answer;
      },
    });
  }

  run(origin: string, context: OriginCheckContext): PredicateVerdict | Promise<PredicateVerdict> {
    const key = `${origin} ${context.host ?? ''} ${context.path} ${context.gateway ?? ''}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ? ALLOWED : DENIED;
    return this.cache.fetch(key, { context: { origin, context } }).then(
      (answer) => (answer === true ? ALLOWED : DENIED),
      (error: unknown) => ({
        allowed: this.settings.onFailure === 'allow',
        failure: describeFailure(error),
      }),
    );
  }
}

const ALLOWED: PredicateVerdict = { allowed: true };
const DENIED: PredicateVerdict = { allowed: false };

class PredicateFailure extends Error {}

function withTimeout<T>(work: () => T | Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new PredicateFailure(`timed out after ${ms} ms`)), ms);
    timer.unref();
    Promise.resolve()
      .then(work)
      .then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
  });
}

function describeFailure(error: unknown): string {
  if (error instanceof PredicateFailure) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `threw: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object')
    return typeof (value as { then?: unknown }).then === 'function' ? 'a promise' : 'an object';
  return `a ${typeof value}`;
}
