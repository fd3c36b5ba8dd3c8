import type { HandshakeOrigin, OriginDecision } from './origin-decision.js';
import { compileOriginEntry, isEntryProblem, type OriginEntry } from './origin-entry.js';
import { readOriginClaim } from './origin-header.js';
import { type ConfigProblem, renderValue } from './origin-guard-config.error.js';
import {
  isOriginSyntaxError,
  type ParsedOrigin,
  parseSerializedOrigin,
} from './serialized-origin.js';

export interface OriginPolicySettings {
  /** Whether a handshake without any `Origin` header (a non-browser client) is accepted. */
  readonly allowMissingOrigin: boolean;
}

/**
 * A compiled allowlist: the decision every handshake and every guarded message goes through.
 *
 * Lookups cost the same for 1 or 10,000 entries: exact origins sit in a `Set`, and a wildcard
 * is found by trying the candidate's parent domains (one `Map` lookup per DNS label), so no
 * request ever scans the list.
 */
export class OriginPolicy {
  private readonly exact = new Map<string, string>();
  private readonly subdomains = new Map<string, string>();
  private readonly allowNull: boolean;
  /** `true` when the list holds the single entry `'*'`. */
  readonly allowsAnyOrigin: boolean;
  /** Equal for two policies that decide every handshake the same way. */
  readonly fingerprint: string;

  private constructor(
    readonly entries: readonly OriginEntry[],
    readonly settings: OriginPolicySettings,
  ) {
    for (const entry of entries) {
      if (entry.kind === 'exact') this.exact.set(entry.origin, entry.source);
      if (entry.kind === 'subdomains') this.subdomains.set(entry.key, entry.source);
    }
    this.allowsAnyOrigin = entries.some((e) => e.kind === 'any');
    this.allowNull = this.allowsAnyOrigin || entries.some((e) => e.kind === 'null');
    const keys = entries.map((e) =>
      e.kind === 'exact' ? e.origin : e.kind === 'subdomains' ? `*.${e.key}` : e.kind,
    );
    this.fingerprint = JSON.stringify([settings.allowMissingOrigin, [...new Set(keys)].toSorted()]);
  }

  /**
   * Compiles a configured list. The policy holds only the valid entries: callers must treat
   * any problem as fatal, and get all of them at once.
   *
   * @param at Where the list was configured, used to locate problems (`allowedOrigins`).
   */
  static compile(
    list: unknown,
    settings: OriginPolicySettings,
    at: string,
  ): { policy: OriginPolicy; problems: ConfigProblem[] } {
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

  /** Decides a handshake from its raw header lines (`IncomingMessage.rawHeaders`). */
  decide(rawHeaders: readonly string[]): OriginDecision {
    const claim = readOriginClaim(rawHeaders);
    if (claim.kind === 'missing') {
      return this.settings.allowMissingOrigin
        ? { allowed: true, origin: undefined, matchedEntry: undefined }
        : { allowed: false, reason: 'missing', claimed: undefined };
    }
    if (claim.kind === 'duplicate') {
      return { allowed: false, reason: 'duplicate', claimed: claim.value };
    }
    const value = claim.value;
    if (value === 'null') {
      return this.allowNull
        ? { allowed: true, origin: 'null', matchedEntry: this.allowsAnyOrigin ? '*' : 'null' }
        : { allowed: false, reason: 'null', claimed: value };
    }
    const parsed = parseSerializedOrigin(value);
    if (isOriginSyntaxError(parsed)) {
      return { allowed: false, reason: 'malformed', claimed: value, detail: parsed.error };
    }
    const matchedEntry = this.match(parsed);
    return matchedEntry === undefined
      ? { allowed: false, reason: 'not_allowed', claimed: value }
      : { allowed: true, origin: parsed.serialized, matchedEntry };
  }

  /** Re-checks an origin recorded at an accepted handshake (used by `OriginGuard`). */
  allows(handshake: HandshakeOrigin): boolean {
    const origin = handshake.origin;
    if (origin === undefined) return this.settings.allowMissingOrigin;
    if (origin === 'null') return this.allowNull;
    const parsed = parseSerializedOrigin(origin);
    return !isOriginSyntaxError(parsed) && this.match(parsed) !== undefined;
  }

  private match(origin: ParsedOrigin): string | undefined {
    if (this.allowsAnyOrigin) return '*';
    const exact = this.exact.get(origin.serialized);
    if (exact !== undefined || this.subdomains.size === 0) return exact;
    // A validated host is plain DNS labels, so each '.' starts a parent domain; the first
    // label is never empty, which is what keeps `*.example.com` from matching `example.com`.
    const { scheme, host, port } = origin;
    const portSuffix = port === undefined ? '' : `:${port}`;
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const found = this.subdomains.get(`${scheme}://${host.slice(dot + 1)}${portSuffix}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}
