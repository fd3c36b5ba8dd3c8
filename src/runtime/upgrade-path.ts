import type { IncomingMessage } from 'node:http';

/**
 * The path an upgrade request is routed by, as WHATWG URL parsing reads it (the way Nest's
 * `WsAdapter` routes): dot segments resolved, percent-escapes of unreserved characters kept
 * as written, no query. The gate and the ws adapter's listener both route with this one
 * function, so what the gate leaves to an adapter is what that adapter serves.
 *
 * Most targets are plain paths, for which the parse is skipped.
 */
export function upgradePathname(req: IncomingMessage): string {
  const url = req.url ?? '/';
  if (url.charCodeAt(0) === 0x2f && !/[.%\\#]|\/\//.test(url)) {
    const query = url.indexOf('?');
    return query === -1 ? url : url.slice(0, query);
  }
  try {
    return new URL(url, 'ws://localhost/').pathname;
  } catch {
    // Nothing is served at a target URL parsing rejects; the default policy decides it.
    return url;
  }
}
