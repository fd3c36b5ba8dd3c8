import { randomBytes } from 'node:crypto';
import type { ProbeTarget } from './probe-target.js';
import type { RequestKind } from './request-plan.js';
import type { HeaderLine, Variant } from './variants.js';

/** Sent with every request, so the endpoint's logs show who knocked. */
export const PROBE_USER_AGENT = 'nestjs-origin-guard-probe';

/** What a request says about itself, besides the variant's header lines. */
export interface RequestSettings {
  /** A `Cookie` header for every request (the shape of a logged-in browser). */
  readonly cookie: string | undefined;
}

/** engine.io parameters the probe sets itself; the URL's own ones of these are dropped. */
const ENGINE_PARAMS = new Set(['eio', 'transport', 'sid', 'j', 't']);

/**
 * The request target of an engine.io request: `EIO=4`, the transport, then the `sid` or
 * JSONP marker when the request kind needs one, then the URL's own query parameters.
 */
export function engineTarget(
  target: ProbeTarget,
  transport: 'polling' | 'websocket',
  extra: { sid?: string; jsonp?: boolean } = {},
): string {
  const params = [`EIO=4`, `transport=${transport}`];
  if (extra.jsonp === true) params.push('j=0');
  if (extra.sid !== undefined) params.push(`sid=${encodeURIComponent(extra.sid)}`);
  for (const part of target.extraQuery.split('&')) {
    const name = part.split('=', 1)[0]!.toLowerCase();
    if (part !== '' && !ENGINE_PARAMS.has(name)) params.push(part);
  }
  return `${target.path}?${params.join('&')}`;
}

/**
 * One request, byte for byte: exactly the variant's header lines (duplicates and raw Unicode
 * kept, which Node's HTTP client would refuse to send), `Connection: close` unless upgrading.
 */
export function requestBytes(
  target: ProbeTarget,
  variant: Variant,
  request: RequestKind,
  settings: RequestSettings,
  sid?: string,
): Buffer {
  const upgrade = request === 'upgrade' || request === 'upgrade+sid';
  const path =
    target.transport === 'ws'
      ? target.path
      : engineTarget(target, upgrade ? 'websocket' : 'polling', {
          sid,
          jsonp: variant.jsonp === true,
        });
  return rawRequest(target, path, upgrade, variant.headers, settings, variant.wsVersion8 === true);
}

export function rawRequest(
  target: ProbeTarget,
  path: string,
  upgrade: boolean,
  headers: readonly HeaderLine[],
  settings: RequestSettings,
  wsVersion8 = false,
): Buffer {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${target.hostHeader}`,
    `User-Agent: ${PROBE_USER_AGENT}`,
  ];
  if (upgrade) {
    lines.push(
      'Connection: Upgrade',
      'Upgrade: websocket',
      `Sec-WebSocket-Version: ${wsVersion8 ? 8 : 13}`,
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    );
  } else {
    lines.push('Accept: */*', 'Connection: close');
  }
  if (settings.cookie !== undefined) lines.push(`Cookie: ${settings.cookie}`);
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  // UTF-8: ASCII stays as it is; the full-width variant goes out as the raw bytes it is about.
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
}
