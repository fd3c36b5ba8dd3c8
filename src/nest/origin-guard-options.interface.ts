import type { OriginDecisionEvent } from '../policy/decision-event.js';
import type { OriginEntryInput } from '../policy/origin-entry.js';
import type { PredicateSettings } from '../policy/origin-predicate.js';
import type { OriginCheckMode, SameOriginOptions } from '../policy/policy-settings.js';
import type { TrustProxyInput } from '../policy/request-origin.js';

/**
 * Options of `OriginGuardModule.forRoot()` / `forRootAsync()`.
 *
 * @example
 * ```ts
 * OriginGuardModule.forRoot({
 *   allowedOrigins: ['https://app.example.com', 'https://*.example.com'],
 *   allowMissingOrigin: false,
 *   mode: 'report-only',
 * });
 * ```
 * @publicApi
 */
export interface OriginGuardModuleOptions {
  /**
   * The origins whose pages may open a WebSocket to this app, written as browsers send them:
   * `scheme://host[:port]`. The default for every gateway; `@AllowedOrigins()` on a gateway
   * replaces it for that gateway.
   *
   * - Exact: `'https://app.example.com'`, `'http://localhost:4200'`, `'capacitor://localhost'`.
   *   Scheme and host compare case-insensitively; `:443` on https and `:80` on http are
   *   the same as no port. Unicode hosts are converted to punycode.
   * - Subdomains: `'https://*.example.com'` matches `https://a.example.com` and
   *   `https://a.b.example.com`, never `https://example.com` itself (list it too).
   * - `'null'`: the opaque origin of sandboxed iframes and `file:`/`data:` pages. Risky: any
   *   site can produce it.
   * - `'*'`: every origin. Turns the check off; a warning is logged at startup.
   * - Ports: `'http://localhost:*'` (any port), `'https://example.com:[8443,9443]'` (a list).
   * - `RegExp`: anchored (`/^https:\/\/pr-\d+\.preview\.example\.com$/`), tested against the
   *   normalized origin. Unanchored ones fail at bootstrap.
   * - A function `(origin, context) => boolean | Promise<boolean>` (see `OriginPredicate`).
   *
   * @example ['https://app.example.com', 'https://*.example.com']
   */
  allowedOrigins: readonly OriginEntryInput[];

  /**
   * Accept handshakes that carry no `Origin` header at all: native apps, CLIs, servers and
   * test tools, which send none.
   *
   * Browsers send `Origin` on every WebSocket handshake and every cross-origin CORS or non-GET
   * request, but not on no-cors GETs (`<script src>`, `<img src>`) or same-origin GETs, so an
   * engine.io polling request without one may come from a page on another site. Such requests
   * are still refused when Fetch Metadata gives the browser away (`Sec-Fetch-Site: cross-site`
   * or `same-site`, `Sec-Fetch-Mode: no-cors` or `navigate`, sent to https and localhost URLs),
   * whatever this option says; see the README's "Requests without Origin". Clients without
   * `Origin` can send any headers they like, so they still need real authentication. Turn this
   * off for browser-only gateways.
   *
   * @default true
   */
  allowMissingOrigin?: boolean;

  /**
   * Serve engine.io JSONP polling (`j=` in the query; Socket.IO only). Off by default: a
   * JSONP response is script, so a `<script>` tag on any site can open a session with the
   * user's cookies and no `Origin`, and read its `sid`. With it on, JSONP requests still meet
   * the policy (a modern browser's cross-site `<script>` is refused by Fetch Metadata over
   * https), but over plain http nothing tells them apart: a warning is logged at every start.
   * Only for legacy clients that cannot use XHR polling or WebSocket.
   *
   * @default false
   */
  allowJsonpPolling?: boolean;

  /**
   * Origin policies of WebSocket paths on the app's HTTP server that no gateway serves, such as
   * GraphQL subscriptions: `{ '/graphql': ['https://app.example.com'] }`. Every upgrade of the
   * app's HTTP server is checked by the app-wide upgrade gate: by its gateway's policy, by the
   * entry here for its path (matched exactly, without the query), or by `allowedOrigins`.
   *
   * @default {} (every other path gets `allowedOrigins`)
   */
  upgrades?: Readonly<Record<string, readonly OriginEntryInput[]>>;

  /**
   * Start even when a gateway is served by an adapter that does not check origins (Nest's
   * `WsAdapter` or `IoAdapter`, a subclass of them, or no `useWebSocketAdapter()` call in a
   * Socket.IO app). Off, such a gateway fails the bootstrap with the fix; on, a warning is
   * logged at every start, and upgrades on the app's HTTP server are still checked by the
   * app-wide gate (with `allowedOrigins` or `upgrades`, not the gateway's `@AllowedOrigins`;
   * Socket.IO polling is not an upgrade and stays unchecked).
   *
   * @default false
   */
  allowUncheckedGateways?: boolean;

  /**
   * `'enforce'` refuses; `'report-only'` decides the same way but accepts the connection and
   * logs "would refuse": for turning the check on in production without breaking unknown
   * clients. `@AllowedOrigins({ mode })` can set it per gateway.
   *
   * @default 'enforce'
   */
  mode?: OriginCheckMode;

  /**
   * Also allow an `Origin` equal to the request's own origin (scheme + `Host`), with `Host`
   * restricted to `hosts` (the DNS-rebinding defense) unless `hosts: 'any'`.
   *
   * @default undefined (off)
   * @example { hosts: ['app.example.com'] }
   */
  sameOrigin?: SameOriginOptions | false;

  /**
   * Which proxies may set `X-Forwarded-Proto`/`X-Forwarded-Host`/`Forwarded` for `sameOrigin`
   * and the predicate context: a hop count or addresses/CIDRs, as Express's `trust proxy`.
   * Without it those headers are ignored.
   *
   * @default undefined (trust no proxy)
   * @example 1
   */
  trustProxy?: TrustProxyInput;

  /**
   * Timeout, cache and failure policy of predicate entries.
   *
   * @default { timeoutMs: 2000, cacheTtlMs: 60000, cacheMaxEntries: 10000, onFailure: 'refuse' }
   * @example { timeoutMs: 500, onFailure: 'refuse' }
   */
  predicates?: Partial<PredicateSettings>;

  /**
   * Called once per decision (handshakes and guarded messages), for metrics and alerting.
   * Its exceptions and rejections are logged and never change the verdict.
   *
   * @default undefined
   */
  onDecision?: (event: OriginDecisionEvent) => void | Promise<void>;

  /**
   * Make `OriginGuard` and the policy registry available in every module without importing
   * `OriginGuardModule` again.
   *
   * @default true
   */
  isGlobal?: boolean;
}
