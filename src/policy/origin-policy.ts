import type { OriginDecision } from './origin-decision.js';
import { compileOriginEntry, isEntryProblem, type OriginEntry } from './origin-entry.js';
import { type ConfigProblem, renderValue } from './origin-guard-config.error.js';
import { foreignBrowserRequest } from './fetch-metadata.js';
import { notAnArrayFix } from './list-shape-fix.js';
import { OriginIndex } from './origin-index.js';
import { fingerprintOf } from './policy-fingerprint.js';
import { readOriginClaim, singleOriginClaim } from './origin-header.js';
import { PredicateChain } from './predicate-chain.js';
import {
  type DecisionScope,
  type HandshakeRequest,
  headerRecord,
  type OriginCheckContext,
} from './handshake-request.js';
import { DEFAULT_POLICY_SETTINGS, type OriginPolicySettings } from './policy-settings.js';

import { requestOrigin } from './request-origin.js';
import {
  isOriginSyntaxError,
  type ParsedOrigin,
  parseSerializedOrigin,
} from './serialized-origin.js';

const DECIDED_CACHE_SIZE = 256;

/** The `matchedEntry` of an origin allowed by the `sameOrigin` option. */
const SAME_ORIGIN_ENTRY = 'sameOrigin';

/**
 * A compiled allowlist: the decision every handshake and every guarded message goes through.
 *
 * Exact and wildcard entries cost the same for 1 or 10,000 entries: exact origins sit in maps,
 * and a wildcard is found by trying the candidate's parent domains (one map look-up per DNS
 * label), so no request scans the list. Regular expressions and predicates, which cannot be
 * indexed, run only when no indexed entry matched.
 *
 * Framework-free: usable for a `ws` or `graphql-ws` server you attach yourself.
 *
 * @example
 * ```ts
 * const { policy, problems } = OriginPolicy.compile(['https://app.example.com'], {}, 'origins');
 * if (problems.length > 0) throw new OriginGuardConfigError('my server', problems);
 * server.on('upgrade', async (req, socket, head) => {
 *   const decision = await policy.evaluate(req, { gateways: [] });
 *   if (!decision.allowed) return socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
 *   wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
 * });
 * ```
 * @publicApi
 */
export class OriginPolicy {
  private readonly index: OriginIndex;
  private readonly patterns: { readonly pattern: RegExp; readonly source: string }[] = [];
  private readonly predicates: PredicateChain;
  private readonly allowNull: boolean;
  /**
   * Recent decisions by raw `Origin` value, for policies whose decision depends on that value
   * alone (no predicates, no same-origin rule). Browsers of one app send a handful of distinct
   * origins, so most handshakes and guarded messages skip parsing; a flood of distinct values
   * only clears it, so it never holds more than `DECIDED_CACHE_SIZE` entries.
   */
  private readonly decided: Map<string, OriginDecision> | undefined;
  /** `true` when the list holds `'*'`. */
  readonly allowsAnyOrigin: boolean;
  /**
   * Equal for two policies that decide every handshake the same way.
   * @internal
   */
  readonly fingerprint: string;

  private constructor(
    /** @internal */
    readonly entries: readonly OriginEntry[],
    /** @internal */
    readonly settings: OriginPolicySettings,
  ) {
    this.index = new OriginIndex(entries);
    this.predicates = new PredicateChain(entries, settings.predicates);
    for (const entry of entries) if (entry.kind === 'regexp') this.patterns.push(entry);
    this.allowsAnyOrigin = entries.some((e) => e.kind === 'any');
    this.allowNull = this.allowsAnyOrigin || entries.some((e) => e.kind === 'null');
    this.fingerprint = fingerprintOf(entries, settings);
    this.decided =
      this.predicates.size === 0 && settings.sameOrigin === undefined ? new Map() : undefined;
  }

  /**
   * Compiles a configured list. The policy holds only the valid entries: callers must treat
   * any problem as fatal, and get all of them at once.
   *
   * @param at Where the list was configured, used to locate problems (`allowedOrigins`).
   */
  static compile(
    list: unknown,
    overrides: Partial<OriginPolicySettings>,
    at: string,
  ): { policy: OriginPolicy; problems: ConfigProblem[] } {
    const settings: OriginPolicySettings = { ...DEFAULT_POLICY_SETTINGS, ...overrides };
    if (!Array.isArray(list)) {
      const fix = notAnArrayFix(list);
      const problem = { at, value: renderValue(list), problem: 'is not an array', fix };
      return { policy: new OriginPolicy([], settings), problems: [problem] };
    }
    const problems: ConfigProblem[] = [];
    const entries: OriginEntry[] = [];
    list.forEach((raw: unknown, index) => {
      const entry = compileOriginEntry(raw);
      if (isEntryProblem(entry)) {
        const { problem, fix } = entry;
        problems.push({ at: `${at}[${index}]`, value: renderValue(raw), problem, fix });
      } else {
        entries.push(entry);
      }
    });
    return { policy: new OriginPolicy(entries, settings), problems };
  }

  /**
   * Whether any entry may need to wait (a predicate whose answer is not cached).
   * @internal
   */
  get hasPredicates(): boolean {
    return this.predicates.size > 0;
  }

  /**
   * Decides a handshake. Synchronous unless a predicate has to be asked; never throws and
   * never rejects.
   */
  evaluate(
    request: HandshakeRequest,
    scope: DecisionScope,
  ): OriginDecision | Promise<OriginDecision> {
    const value = singleOriginClaim(request.rawHeaders);
    if (value === undefined) return this.decideMissing(request);
    if (value === null) {
      const claim = readOriginClaim(request.rawHeaders);
      return {
        allowed: false,
        reason: 'duplicate',
        claimed: claim.kind === 'missing' ? undefined : claim.value,
      };
    }
    return this.decideValue(value, request, scope);
  }

  /**
   * Re-decides the origin recorded at an accepted handshake (used by `OriginGuard`): the same
   * rules, applied to a value that is already validated.
   */
  recheck(
    origin: string | undefined,
    request: HandshakeRequest,
    scope: DecisionScope,
  ): OriginDecision | Promise<OriginDecision> {
    return origin === undefined
      ? this.decideMissing(request)
      : this.decideValue(origin, request, scope);
  }

  /**
   * No `Origin`: a native client, or a browser's no-cors GET or navigation, which may come
   * from any site's page. Fetch Metadata tells the second kind apart where browsers send it.
   */
  private decideMissing(request: HandshakeRequest): OriginDecision {
    const foreign = foreignBrowserRequest(request.rawHeaders);
    if (foreign !== undefined) {
      return {
        allowed: false,
        reason: 'browser_without_origin',
        claimed: undefined,
        detail: foreign,
      };
    }
    return this.settings.allowMissingOrigin
      ? { allowed: true, origin: undefined, matchedEntry: undefined }
      : { allowed: false, reason: 'missing', claimed: undefined };
  }

  private decideValue(
    value: string,
    request: HandshakeRequest,
    scope: DecisionScope,
  ): OriginDecision | Promise<OriginDecision> {
    if (this.decided === undefined) return this.decideAfresh(value, request, scope);
    let decision = this.decided.get(value);
    if (decision === undefined) {
      decision = this.decideAfresh(value, request, scope) as OriginDecision;
      if (this.decided.size >= DECIDED_CACHE_SIZE) this.decided.clear();
      this.decided.set(value, decision);
    }
    return decision;
  }

  private decideAfresh(
    value: string,
    request: HandshakeRequest,
    scope: DecisionScope,
  ): OriginDecision | Promise<OriginDecision> {
    if (value === 'null') {
      return this.allowNull
        ? { allowed: true, origin: 'null', matchedEntry: this.allowsAnyOrigin ? '*' : 'null' }
        : { allowed: false, reason: 'null', claimed: value };
    }
    const parsed = parseSerializedOrigin(value);
    if (isOriginSyntaxError(parsed)) {
      return { allowed: false, reason: 'malformed', claimed: value, detail: parsed.error };
    }
    const matchedEntry =
      (this.allowsAnyOrigin ? '*' : this.index.match(parsed)) ??
      this.matchSameOrigin(parsed, request) ??
      this.matchPattern(parsed);
    if (matchedEntry !== undefined)
      return { allowed: true, origin: parsed.serialized, matchedEntry };
    if (this.predicates.size === 0)
      return { allowed: false, reason: 'not_allowed', claimed: value };
    const context: OriginCheckContext = {
      host: requestOrigin(request, this.settings.trustProxy)?.authority,
      path: scope.path ?? '*',
      gateway: scope.gateways.length > 0 ? scope.gateways.join(', ') : undefined,
      headers: headerRecord(request.rawHeaders),
    };
    return this.predicates.ask(parsed, value, context);
  }

  private matchSameOrigin(origin: ParsedOrigin, request: HandshakeRequest): string | undefined {
    const sameOrigin = this.settings.sameOrigin;
    if (sameOrigin === undefined) return undefined;
    const own = requestOrigin(request, this.settings.trustProxy);
    if (own === undefined || own.origin !== origin.serialized) return undefined;
    return sameOrigin.hosts === 'any' || sameOrigin.hosts.has(own.authority)
      ? SAME_ORIGIN_ENTRY
      : undefined;
  }

  private matchPattern(origin: ParsedOrigin): string | undefined {
    for (const { pattern, source } of this.patterns) {
      if (pattern.test(origin.serialized)) return source;
    }
    return undefined;
  }
}
