import type { OriginDecision } from './origin-decision.js';
import { compileOriginEntry, isEntryProblem, type OriginEntry } from './origin-entry.js';
import { type ConfigProblem, renderValue } from './origin-guard-config.error.js';
import { foreignBrowserRequest } from './fetch-metadata.js';
import { readOriginClaim } from './origin-header.js';
import { PredicateRunner, type PredicateVerdict } from './origin-predicate.js';
import {
  type DecisionScope,
  type HandshakeRequest,
  headerRecord,
  type OriginCheckContext,
} from './handshake-request.js';
import { DEFAULT_POLICY_SETTINGS, type OriginPolicySettings } from './policy-settings.js';

export type { OriginPolicySettings } from './policy-settings.js';
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
  private readonly exact = new Map<string, string>();
  private readonly exactAnyPort = new Map<string, string>();
  private readonly subdomains = new Map<string, string>();
  private readonly subdomainsAnyPort = new Map<string, string>();
  private readonly patterns: { readonly pattern: RegExp; readonly source: string }[] = [];
  private readonly predicates: { readonly runner: PredicateRunner; readonly source: string }[] = [];
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
  /** Equal for two policies that decide every handshake the same way. */
  readonly fingerprint: string;

  private constructor(
    readonly entries: readonly OriginEntry[],
    readonly settings: OriginPolicySettings,
  ) {
    for (const entry of entries) {
      if (entry.kind === 'exact' || entry.kind === 'subdomains') {
        const map =
          entry.kind === 'exact'
            ? entry.anyPort
              ? this.exactAnyPort
              : this.exact
            : entry.anyPort
              ? this.subdomainsAnyPort
              : this.subdomains;
        for (const key of entry.keys) if (!map.has(key)) map.set(key, entry.source);
      } else if (entry.kind === 'regexp') {
        this.patterns.push(entry);
      } else if (entry.kind === 'predicate') {
        this.predicates.push({
          runner: new PredicateRunner(entry.predicate, settings.predicates),
          source: entry.source,
        });
      }
    }
    this.allowsAnyOrigin = entries.some((e) => e.kind === 'any');
    this.allowNull = this.allowsAnyOrigin || entries.some((e) => e.kind === 'null');
    this.fingerprint = fingerprintOf(entries, settings);
    this.decided =
      this.predicates.length === 0 && settings.sameOrigin === undefined ? new Map() : undefined;
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
      const fix =
        typeof list === 'string'
          ? `wrap it in an array: [${renderValue(list).replaceAll('"', "'")}]`
          : "pass an array of origins such as ['https://app.example.com']";
      const problem = { at, value: renderValue(list), problem: 'is not an array', fix };
      return { policy: new OriginPolicy([], settings), problems: [problem] };
    }
    const problems: ConfigProblem[] = [];
    const entries: OriginEntry[] = [];
    list.forEach((raw: unknown, index) => {
      const entry = compileOriginEntry(raw);
      if (isEntryProblem(entry)) {
        problems.push({ at: `${at}[${index}]`, value: renderValue(raw), ...entry });
      } else {
        entries.push(entry);
      }
    });
    return { policy: new OriginPolicy(entries, settings), problems };
  }

  /** Whether any entry may need to wait (a predicate whose answer is not cached). */
  get hasPredicates(): boolean {
    return this.predicates.length > 0;
  }

  /**
   * Decides a handshake. Synchronous unless a predicate has to be asked; never throws and
   * never rejects.
   */
  evaluate(
    request: HandshakeRequest,
    scope: DecisionScope,
  ): OriginDecision | Promise<OriginDecision> {
    const claim = readOriginClaim(request.rawHeaders);
    if (claim.kind === 'missing') return this.decideMissing(request);
    if (claim.kind === 'duplicate') {
      return { allowed: false, reason: 'duplicate', claimed: claim.value };
    }
    return this.decideValue(claim.value, request, scope);
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
      this.matchIndexed(parsed) ??
      this.matchSameOrigin(parsed, request) ??
      this.matchPattern(parsed);
    if (matchedEntry !== undefined)
      return { allowed: true, origin: parsed.serialized, matchedEntry };
    if (this.predicates.length === 0)
      return { allowed: false, reason: 'not_allowed', claimed: value };
    const context: OriginCheckContext = {
      host: requestOrigin(request, this.settings.trustProxy)?.authority,
      path: scope.path ?? '*',
      gateway: scope.gateways.length > 0 ? scope.gateways.join(', ') : undefined,
      headers: headerRecord(request.rawHeaders),
    };
    return this.askPredicates(parsed, value, context, 0);
  }

  private matchIndexed(origin: ParsedOrigin): string | undefined {
    if (this.allowsAnyOrigin) return '*';
    const { scheme, host, port } = origin;
    const found = this.exact.get(origin.serialized) ?? this.exactAnyPort.get(`${scheme}://${host}`);
    if (found !== undefined || (this.subdomains.size === 0 && this.subdomainsAnyPort.size === 0)) {
      return found;
    }
    // A validated host is plain DNS labels, so each '.' starts a parent domain; the first
    // label is never empty, which is what keeps `*.example.com` from matching `example.com`.
    const portSuffix = port === undefined ? '' : `:${port}`;
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const domain = `${scheme}://${host.slice(dot + 1)}`;
      const match = this.subdomains.get(domain + portSuffix) ?? this.subdomainsAnyPort.get(domain);
      if (match !== undefined) return match;
    }
    return undefined;
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

  /** Asks predicates in order; the first `true` allows, and a failure decides at once. */
  private askPredicates(
    origin: ParsedOrigin,
    claimed: string,
    context: OriginCheckContext,
    from: number,
  ): OriginDecision | Promise<OriginDecision> {
    for (let i = from; i < this.predicates.length; i++) {
      const { runner, source } = this.predicates[i]!;
      const verdict = runner.run(origin.serialized, context);
      if (verdict instanceof Promise) {
        return verdict.then(
          (settled) =>
            conclude(settled, source, origin, claimed) ??
            this.askPredicates(origin, claimed, context, i + 1),
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

const functionIds = new WeakMap<Function, number>();
let lastFunctionId = 0;
/** Identifies a predicate in fingerprints: the same function decides alike, another may not. */
function functionId(fn: Function): number {
  let id = functionIds.get(fn);
  if (id === undefined) {
    id = ++lastFunctionId;
    functionIds.set(fn, id);
  }
  return id;
}

function fingerprintOf(entries: readonly OriginEntry[], settings: OriginPolicySettings): string {
  const keys = entries.flatMap((e) => {
    switch (e.kind) {
      case 'exact':
      case 'subdomains':
        return e.keys.map((k) => `${e.kind}${e.anyPort ? ':*' : ''} ${k}`);
      case 'regexp':
        return [`regexp ${e.source}`];
      case 'predicate':
        return [`predicate #${functionId(e.predicate)}`];
      default:
        return [e.kind];
    }
  });
  const sameOrigin =
    settings.sameOrigin === undefined
      ? null
      : settings.sameOrigin.hosts === 'any'
        ? 'any'
        : [...settings.sameOrigin.hosts].toSorted();
  return JSON.stringify([
    settings.allowMissingOrigin,
    settings.mode,
    sameOrigin,
    [...new Set(keys)].toSorted(),
  ]);
}
