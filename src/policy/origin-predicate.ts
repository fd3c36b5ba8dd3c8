import { LRUCache } from 'lru-cache';
import type { OriginCheckContext } from './handshake-request.js';

/**
 * An allowlist entry that decides at handshake time, e.g. from the tenant domains in a
 * database. It receives the normalized serialized origin (never a malformed one: those are
 * refused before any predicate runs) and must answer `true` or `false`.
 *
 * Results are cached per origin, host, routed path and gateway (see `PredicateSettings`), so
 * a predicate must not depend on other headers such as cookies.
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
   * At most this many answers are cached; the least recently used go first. Whatever the
   * value, the cache also never holds more than `PREDICATE_CACHE_MAX_KEY_BYTES` of keys.
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
 * A hard bound on the cache's size, in key characters (keys are ASCII: one byte each), that
 * holds whatever `cacheMaxEntries` says. Keys are built from validated, bounded fields (a
 * serialized origin and a host of at most 512 characters each, a configured path and gateway
 * names), so 10,000 entries fit well within it.
 */
export const PREDICATE_CACHE_MAX_KEY_BYTES = 16 * 1024 * 1024;

/**
 * Runs one predicate with a timeout, caches its answers and makes concurrent look-ups of one
 * key share a single call (lru-cache's `fetch`). A cached answer is returned synchronously, so
 * repeat handshakes cost a map look-up.
 *
 * The cache key is what a predicate is given: the normalized origin, the validated host, the
 * routed path and the gateway names; never the raw request target or raw headers, which the
 * client chooses. Stale answers are dropped on the first miss after each TTL period, so
 * they do not linger in memory once traffic moves on.
 */
export class PredicateRunner {
  private readonly cache: LRUCache<string, boolean, Call>;
  private nextPurge: number;

  constructor(
    predicate: OriginPredicate,
    private readonly settings: PredicateSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.nextPurge = now() + settings.cacheTtlMs;
    this.cache = new LRUCache<string, boolean, Call>({
      max: settings.cacheMaxEntries,
      maxSize: PREDICATE_CACHE_MAX_KEY_BYTES,
      sizeCalculation: (_answer, key) => key.length,
      ttl: settings.cacheTtlMs,
      // Evicting an entry while its predicate runs (other look-ups filled the cache) must not
      // turn the answer into a failure, which `onFailure: 'allow'` would accept.
      ignoreFetchAbort: true,
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
    // Fields joined by a line feed, which none of them can contain: validated origins and
    // hosts are printable ASCII, paths and gateway names come from the configuration.
    const key = `${origin}\n${context.host ?? ''}\n${context.path}\n${context.gateway ?? ''}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ? ALLOWED : DENIED;
    this.purgeStaleEntries();
    return this.cache.fetch(key, { context: { origin, context } }).then(
      (answer) => (answer === true ? ALLOWED : DENIED),
      (error: unknown) => ({
        allowed: this.settings.onFailure === 'allow',
        failure: describeFailure(error),
      }),
    );
  }

  /** At most once per TTL period, on a miss: the scan is linear in the cache's size. */
  private purgeStaleEntries(): void {
    const time = this.now();
    if (time < this.nextPurge) return;
    this.nextPurge = time + this.settings.cacheTtlMs;
    this.cache.purgeStale();
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

/** Names what a predicate answered: never a promise or thenable, which `await` has unwrapped. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
