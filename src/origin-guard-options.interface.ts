/**
 * Options of `OriginGuardModule.forRoot()` / `forRootAsync()`.
 *
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
   *
   * @example ['https://app.example.com', 'https://*.example.com']
   */
  allowedOrigins: readonly string[];

  /**
   * Accept handshakes that carry no `Origin` header at all.
   *
   * Browsers always send `Origin` on a WebSocket handshake, so a missing one is never a
   * cross-site browser request: it comes from native apps, CLIs, servers and test tools.
   * These clients can send any headers they like, so they still need real authentication.
   * Turn this off for browser-only gateways.
   *
   * @default true
   */
  allowMissingOrigin?: boolean;

  /**
   * Make `OriginGuard` and the policy registry available in every module without importing
   * `OriginGuardModule` again.
   *
   * @default true
   */
  isGlobal?: boolean;
}
