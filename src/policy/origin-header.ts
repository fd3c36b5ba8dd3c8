/**
 * Finds the one origin claim in a handshake's raw header lines.
 *
 * `req.headers.origin` cannot be trusted for this: Node joins repeated `Origin` lines into one
 * comma-separated value, and `ws` reads `Sec-WebSocket-Origin` instead of `Origin` when the
 * client says `Sec-WebSocket-Version: 8`. Reading `rawHeaders` and counting both names means
 * whichever header `ws` would use has been checked, and two claims are never reconciled.
 */
export type OriginClaim =
  | { readonly kind: 'missing' }
  | { readonly kind: 'duplicate'; readonly value: string }
  | { readonly kind: 'single'; readonly value: string };

const MISSING: OriginClaim = { kind: 'missing' };

/** @param rawHeaders Node's `IncomingMessage.rawHeaders`: names and values, alternating. */
export function readOriginClaim(rawHeaders: readonly string[]): OriginClaim {
  let found: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!isOriginHeader(rawHeaders[i]!)) continue;
    const value = rawHeaders[i + 1]!;
    if (found !== undefined) return { kind: 'duplicate', value: `${found}, ${value}` };
    found = value;
  }
  return found === undefined ? MISSING : { kind: 'single', value: found };
}

/**
 * `readOriginClaim` for the common case, without a claim record: the one claimed value,
 * `undefined` when there is none, or `null` when there are two or more (then ask
 * `readOriginClaim` for the joined value).
 */
export function singleOriginClaim(rawHeaders: readonly string[]): string | null | undefined {
  let found: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!isOriginHeader(rawHeaders[i]!)) continue;
    if (found !== undefined) return null;
    found = rawHeaders[i + 1]!;
  }
  return found;
}

/** `Origin` or `Sec-WebSocket-Origin`, in any case. */
function isOriginHeader(name: string): boolean {
  // Cheap length test first: this runs for every header line of every handshake.
  if (name.length !== 6 && name.length !== 20) return false;
  const lower = name.toLowerCase();
  return lower === 'origin' || lower === 'sec-websocket-origin';
}
