import proxyaddr from 'proxy-addr';
import type { HandshakeRequest } from './handshake-request.js';
import { readRequestHeaders, type RequestHeaders } from './request-headers.js';
import { isOriginSyntaxError, parseSerializedOrigin } from './serialized-origin.js';

/** Decides whether the proxy at `address`, `hop` steps from this server, is trusted. */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * Which proxies may tell us the request's scheme and host, as in Express's `trust proxy`:
 * a hop count, or proxy addresses/CIDRs (and the names `loopback`, `linklocal`, `uniquelocal`).
 *
 * @example 1
 * @example ['loopback', '10.0.0.0/8']
 * @publicApi
 */
export type TrustProxyInput = number | string | readonly string[];

export function compileTrustProxy(input: TrustProxyInput): TrustProxy {
  if (typeof input === 'number') return (_address, hop) => hop < input;
  return proxyaddr.compile(
    typeof input === 'string' ? input.split(',').map((s) => s.trim()) : [...input],
  );
}

/** The origin a page served by this very request's host would send, and its `Host`. */
export interface RequestOrigin {
  /** Normalized serialized origin, e.g. `https://app.example.com`. */
  readonly origin: string;
  /** The authority as requested (`host[:port]`), lower-cased. */
  readonly authority: string;
}

/**
 * Works out the request's own origin: the connection's scheme and the `Host` header, or —
 * only when the connecting peer is a trusted proxy — the scheme and host it forwarded
 * (`Forwarded` if present, else `X-Forwarded-Proto` / `X-Forwarded-Host`). Forwarded values
 * from an untrusted peer are ignored, so they can never change a decision.
 *
 * @param headers The request's headers, when the caller has read them already.
 */
export function requestOrigin(
  request: HandshakeRequest,
  trust: TrustProxy | undefined,
  headers: RequestHeaders = readRequestHeaders(request.rawHeaders),
): RequestOrigin | undefined {
  let scheme = request.socket?.encrypted ? 'https' : 'http';
  let authority = headers.host;
  const hops = trustedHops(request, trust, headers);
  if (hops > 0) {
    const forwarded = fromForwarded(headers, hops) ?? fromXForwarded(headers, hops);
    scheme = forwarded.proto ?? scheme;
    authority = forwarded.host ?? authority;
  }
  if (authority === undefined) return undefined;
  scheme = scheme.toLowerCase();
  if (scheme === 'wss') scheme = 'https';
  if (scheme === 'ws') scheme = 'http';
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const parsed = parseSerializedOrigin(`${scheme}://${authority}`);
  if (isOriginSyntaxError(parsed)) return undefined;
  return { origin: parsed.serialized, authority: authority.toLowerCase() };
}

/**
 * The client's address: the connecting peer's, or — only through trusted proxies — the
 * address the outermost trusted proxy saw (`X-Forwarded-For`), as Express's `req.ip` does.
 * Forwarded addresses from an untrusted peer are ignored.
 */
export function clientAddress(
  request: HandshakeRequest,
  trust: TrustProxy | undefined,
  headers: RequestHeaders = readRequestHeaders(request.rawHeaders),
): string | undefined {
  if (trust === undefined) return request.socket?.remoteAddress;
  const chain = addressChain(request, headers);
  if (chain.length === 0) return undefined; // no peer address to start from
  return chain[Math.min(countTrusted(chain, trust), chain.length - 1)];
}

/** The peer, then the forwarded addresses nearest first; empty without a peer. */
function addressChain(request: HandshakeRequest, headers: RequestHeaders): string[] {
  const peer = request.socket?.remoteAddress;
  if (peer === undefined) return [];
  return [peer, ...listValues(headers.forwardedFor).toReversed()];
}

/** How many proxies, starting at the connecting peer, are trusted. */
function trustedHops(
  request: HandshakeRequest,
  trust: TrustProxy | undefined,
  headers: RequestHeaders,
): number {
  return trust === undefined ? 0 : countTrusted(addressChain(request, headers), trust);
}

function countTrusted(chain: readonly string[], trust: TrustProxy): number {
  let hops = 0;
  while (hops < chain.length && trust(chain[hops]!, hops)) hops++;
  return hops;
}

interface Forwarded {
  readonly proto?: string | undefined;
  readonly host?: string | undefined;
}

/**
 * Each trusted proxy appends its view, so the value to believe is the one written by the
 * outermost trusted proxy: `hops` entries from the end. Anything before it came from the
 * client and may be forged.
 */
function pick(values: readonly string[], hops: number): string | undefined {
  if (values.length === 0) return undefined;
  return values[Math.max(0, values.length - hops)];
}

function fromXForwarded(headers: RequestHeaders, hops: number): Forwarded {
  return {
    proto: pick(listValues(headers.forwardedProto), hops),
    host: pick(listValues(headers.forwardedHost), hops),
  };
}

/** RFC 7239 `Forwarded: for=…;proto=https;host=app.example.com, for=…`. */
function fromForwarded(headers: RequestHeaders, hops: number): Forwarded | undefined {
  const elements = listValues(headers.forwarded);
  if (elements.length === 0) return undefined;
  const element = pick(elements, hops)!;
  const fields: Record<string, string> = {};
  for (const pair of element.split(';')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const name = pair.slice(0, equals).trim().toLowerCase();
    fields[name] = pair
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { proto: fields.proto, host: fields.host };
}

function listValues(lines: readonly string[]): string[] {
  return lines
    .join(',')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}
