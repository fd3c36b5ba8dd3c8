import {
  isOriginSyntaxError,
  parseSerializedOrigin,
  type ParsedOrigin,
} from '../policy/serialized-origin.js';
import { ProbeError } from './probe-error.js';
import type { ProbeTransport } from './probe-target.js';
import type { ProbeSettings } from './run-probe.js';

/**
 * What to probe for, as `probeOrigins()` takes it (the CLI's flags map onto it one to one).
 *
 * @example
 * ```ts
 * const options: ProbeOptions = { path: '/chat', allowed: ['https://app.example.com'], cookie: 'session=abc' };
 * ```
 * @publicApi
 */
export interface ProbeOptions {
  /** The exact origins of your own pages (`scheme://host[:port]`, http or https): at least one. */
  readonly allowed: readonly string[];
  /**
   * `'ws'` for plain WebSockets (`WsAdapter`), `'socket.io'` for Socket.IO (engine.io requests).
   * @default 'ws'
   */
  readonly transport?: ProbeTransport;
  /**
   * For `ws`, the gateway's path (and query); for Socket.IO, the engine.io path.
   * @default the URL's path; for an app '/' (ws) or '/socket.io/' (Socket.IO)
   */
  readonly path?: string;
  /**
   * The gateway is for browsers only (`allowMissingOrigin: false`): a handshake without
   * `Origin` must be refused too, instead of being reported as the native-client shape.
   * @default false
   */
  readonly browserOnly?: boolean;
  /**
   * Sent as the `Cookie` header of every request, as a logged-in browser would.
   * @default no Cookie header
   */
  readonly cookie?: string;
  /**
   * Per request: connecting, the answer and the closing handshake. A `sid` poll still held
   * open after it counts as accepted.
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * Accept any TLS certificate, for self-signed test servers.
   * @default false
   */
  readonly insecure?: boolean;
  /**
   * Connections open at once, 1 to 8.
   * @default 1
   */
  readonly concurrency?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
const TIMEOUT_RANGE = [100, 60_000] as const;
const MAX_CONCURRENCY = 8;

/** Checks options the way the CLI checks flags: every problem is a `ProbeError` (exit 2). */
export function resolveSettings(options: ProbeOptions): ProbeSettings {
  if (!Array.isArray(options.allowed) || options.allowed.length === 0) {
    throw new ProbeError(
      'Say which origin is allowed (--allowed https://app.example.com): the probe checks that it is accepted and derives the hostile variants from it.',
    );
  }
  const allowed = options.allowed.map(parseAllowed);
  const cookie = options.cookie;
  if (cookie !== undefined && (typeof cookie !== 'string' || hasControlCharacter(cookie))) {
    throw new ProbeError('The cookie must be one line of text (name=value; other=value).');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (
    !Number.isInteger(timeoutMs) ||
    timeoutMs < TIMEOUT_RANGE[0] ||
    timeoutMs > TIMEOUT_RANGE[1]
  ) {
    throw new ProbeError(
      `The timeout must be a whole number of milliseconds from ${TIMEOUT_RANGE[0]} to ${TIMEOUT_RANGE[1]}, not ${String(timeoutMs)}.`,
    );
  }
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new ProbeError(
      `The concurrency must be from 1 to ${MAX_CONCURRENCY}, not ${String(concurrency)}.`,
    );
  }
  return {
    allowed,
    browserOnly: options.browserOnly === true,
    cookie,
    timeoutMs,
    insecure: options.insecure === true,
    concurrency,
  };
}

function parseAllowed(value: unknown): ParsedOrigin {
  if (typeof value !== 'string')
    throw new ProbeError(`An allowed origin must be a string, not ${typeof value}.`);
  if (value === '*' || value === 'null' || value.includes('*')) {
    throw new ProbeError(
      `The allowed origin ${JSON.stringify(value)} is not one page's origin: give the exact origins your pages are served from, e.g. https://app.example.com.`,
    );
  }
  const parsed = parseSerializedOrigin(value);
  if (isOriginSyntaxError(parsed)) {
    throw new ProbeError(
      `The allowed origin ${JSON.stringify(value)} ${parsed.error}: write it as scheme://host[:port], e.g. https://app.example.com.`,
    );
  }
  if (parsed.scheme !== 'http' && parsed.scheme !== 'https') {
    throw new ProbeError(
      `The allowed origin ${JSON.stringify(value)} is not a web page's origin (http or https): the probe derives the origins of hostile pages from it.`,
    );
  }
  return parsed;
}

/** CR and LF would end the header: a cookie must not be a way to inject lines. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
