import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import { ProbeError } from './probe-error.js';

/**
 * How the endpoint speaks: plain WebSockets (`ws`, Nest's `WsAdapter`) or Socket.IO (engine.io).
 *
 * @example
 * ```ts
 * await probeOrigins(app, { transport: 'socket.io', allowed: ['https://app.example.com'] });
 * ```
 * @publicApi
 */
export type ProbeTransport = 'ws' | 'socket.io';

/** Where every request of a probe goes: one host and port, never anything else. */
export interface ProbeTarget {
  readonly transport: ProbeTransport;
  readonly tls: boolean;
  /** What to connect to: a name or an IP address (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** The `Host` header: the URL's host, with the port unless it is the scheme's default. */
  readonly hostHeader: string;
  /** For `ws`: the request target (path and query). For Socket.IO: the engine.io path, ending in `/`. */
  readonly path: string;
  /** For Socket.IO: query parameters of the URL, sent along with engine.io's own (`a=1&b=2`). */
  readonly extraQuery: string;
  /** The endpoint as a URL, for the report. */
  readonly url: string;
}

/**
 * A Nest application (or anything else) whose HTTP server is listening: only
 * `getHttpServer().address()` is used, so importing the probe never loads Nest. An app
 * listening on all interfaces is probed on 127.0.0.1; an HTTPS server over TLS.
 *
 * @example
 * ```ts
 * await app.listen(0);
 * const report = await probeOrigins(app satisfies ListeningApp, { path: '/chat', allowed });
 * ```
 * @publicApi
 */
export interface ListeningApp {
  getHttpServer(): unknown;
}

const SCHEMES: Readonly<Record<string, { tls: boolean; port: number }>> = {
  'ws:': { tls: false, port: 80 },
  'http:': { tls: false, port: 80 },
  'wss:': { tls: true, port: 443 },
  'https:': { tls: true, port: 443 },
};

export const DEFAULT_ENGINE_PATH = '/socket.io/';

/**
 * Reads a `ws://`, `wss://`, `http://` or `https://` URL. For Socket.IO, a path other than `/`
 * is the engine.io path (`--path` / `path` overrides either).
 */
export function targetFromUrl(
  text: string,
  transport: ProbeTransport,
  path: string | undefined,
): ProbeTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProbeError(
      `${JSON.stringify(text)} is not a URL (expected e.g. wss://app.example.com/chat).`,
    );
  }
  const scheme = SCHEMES[url.protocol];
  if (scheme === undefined) {
    throw new ProbeError(
      `${JSON.stringify(text)} has the scheme "${url.protocol}": use ws://, wss://, http:// or https://.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ProbeError(`${JSON.stringify(text)} contains credentials: send them with --cookie.`);
  }
  const port = url.port === '' ? scheme.port : Number(url.port);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return build(transport, scheme.tls, host, port, url.host, path ?? urlPath(url, transport), url);
}

/** The app's own listening address, on the loopback interface when it listens on all of them. */
export function targetFromApp(
  app: ListeningApp,
  transport: ProbeTransport,
  path: string | undefined,
): ProbeTarget {
  if (typeof (app as Partial<ListeningApp> | null)?.getHttpServer !== 'function') {
    throw new ProbeError(
      'Probe a listening Nest application (anything with getHttpServer()) or a URL.',
    );
  }
  const server = app.getHttpServer() as { address?: () => AddressInfo | string | null };
  const address = typeof server?.address === 'function' ? server.address() : null;
  if (address === null || typeof address !== 'object') {
    throw new ProbeError(
      'The app is not listening on a TCP port: call `await app.listen(0)` before probing it.',
    );
  }
  const wildcard = address.address === '::' || address.address === '0.0.0.0';
  const host = wildcard ? '127.0.0.1' : address.address;
  const tls = server instanceof TlsServer;
  const hostHeader = `${isIP(host) === 6 ? `[${host}]` : host}:${address.port}`;
  return build(transport, tls, host, address.port, hostHeader, path ?? defaultPath(transport));
}

function build(
  transport: ProbeTransport,
  tls: boolean,
  host: string,
  port: number,
  hostHeader: string,
  path: string,
  url?: URL,
): ProbeTarget {
  if (!path.startsWith('/') || /[\s#]/.test(path)) {
    throw new ProbeError(
      `The path ${JSON.stringify(path)} must start with "/" and hold no spaces.`,
    );
  }
  const bracketed = isIP(host) === 6 ? `[${host}]` : host;
  let requestPath = path;
  let extraQuery = '';
  if (transport === 'socket.io') {
    const [enginePath = '', query = ''] = path.split('?', 2);
    requestPath = enginePath.endsWith('/') ? enginePath : `${enginePath}/`;
    extraQuery = [query, url?.search.slice(1) ?? ''].filter((part) => part !== '').join('&');
  }
  const scheme = transport === 'ws' ? (tls ? 'wss' : 'ws') : tls ? 'https' : 'http';
  return {
    transport,
    tls,
    host,
    port,
    hostHeader,
    path: requestPath,
    extraQuery,
    url: `${scheme}://${bracketed}:${port}${requestPath}`,
  };
}

function urlPath(url: URL, transport: ProbeTransport): string {
  if (transport === 'ws') return `${url.pathname}${url.search}`;
  return url.pathname === '/' ? DEFAULT_ENGINE_PATH : url.pathname;
}

function defaultPath(transport: ProbeTransport): string {
  return transport === 'ws' ? '/' : DEFAULT_ENGINE_PATH;
}
