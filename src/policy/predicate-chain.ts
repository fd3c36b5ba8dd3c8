import type { OriginCheckContext } from './handshake-request.js';
import type { OriginDecision } from './origin-decision.js';
import type { OriginEntry } from './origin-entry.js';
import {
  PredicateRunner,
  type PredicateSettings,
  type PredicateVerdict,
} from './origin-predicate.js';
import type { ParsedOrigin } from './serialized-origin.js';

/**
 * The predicate entries of a policy, asked in order once no other entry matched: the first
 * `true` allows, and a failure decides at once (by `onFailure`).
 */
export class PredicateChain {
  private readonly predicates: { readonly runner: PredicateRunner; readonly source: string }[] = [];

  constructor(entries: readonly OriginEntry[], settings: PredicateSettings) {
    for (const entry of entries) {
      if (entry.kind === 'predicate') {
        this.predicates.push({
          runner: new PredicateRunner(entry.predicate, settings),
          source: entry.source,
        });
      }
    }
  }

  get size(): number {
    return this.predicates.length;
  }

  /** Decides `origin` (claimed as `claimed`); synchronous while every answer is cached. */
  ask(
    origin: ParsedOrigin,
    claimed: string,
    context: OriginCheckContext,
    from = 0,
  ): OriginDecision | Promise<OriginDecision> {
    for (let i = from; i < this.predicates.length; i++) {
      const { runner, source } = this.predicates[i]!;
      const verdict = runner.run(origin.serialized, context);
      if (verdict instanceof Promise) {
        return verdict.then(
          (settled) =>
            conclude(settled, source, origin, claimed) ?? this.ask(origin, claimed, context, i + 1),
        );
      }
      const decided = conclude(verdict, source, origin, claimed);
      if (decided !== undefined) return decided;
    }
    return { allowed: false, reason: 'not_allowed', claimed };
  }
}

function conclude(
  verdict: PredicateVerdict,
  source: string,
  origin: ParsedOrigin,
  claimed: string,
): OriginDecision | undefined {
  if (verdict.failure !== undefined) {
    const detail = `predicate ${source} ${verdict.failure}`;
    return verdict.allowed
      ? { allowed: true, origin: origin.serialized, matchedEntry: source, failure: detail }
      : { allowed: false, reason: 'predicate_failed', claimed, detail };
  }
  return verdict.allowed
    ? { allowed: true, origin: origin.serialized, matchedEntry: source }
    : undefined;
}
