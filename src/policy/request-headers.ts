/**
 * The headers a decision reads about the request itself (its host, forwarded facts, client),
 * found in one pass over `rawHeaders` and handed down to whatever needs them: the same-origin
 * rule, a predicate's context and the decision event each read them from this record instead
 * of rescanning the header lines once per name.
 *
 * The origin claim and Fetch Metadata are not here: the hot path of a handshake reads only the
 * claim (`origin-header.ts`), and Fetch Metadata matters only when it is missing.
 */
export interface RequestHeaders {
  /** The first `Host` line, as sent. */
  readonly host: string | undefined;
  /** The first `User-Agent` line, as sent. */
  readonly userAgent: string | undefined;
  /** Every `Forwarded` line, in order. */
  readonly forwarded: readonly string[];
  /** Every `X-Forwarded-Proto` line, in order. */
  readonly forwardedProto: readonly string[];
  /** Every `X-Forwarded-Host` line, in order. */
  readonly forwardedHost: readonly string[];
  /** Every `X-Forwarded-For` line, in order. */
  readonly forwardedFor: readonly string[];
}

/** @param rawHeaders Node's `IncomingMessage.rawHeaders`: names and values, alternating. */
export function readRequestHeaders(rawHeaders: readonly string[]): RequestHeaders {
  let host: string | undefined;
  let userAgent: string | undefined;
  const forwarded: string[] = [];
  const forwardedProto: string[] = [];
  const forwardedHost: string[] = [];
  const forwardedFor: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    // The six names differ in length: one comparison of the lower-cased name per line at most.
    switch (name.length) {
      case 4:
        if (host === undefined && name.toLowerCase() === 'host') host = value;
        break;
      case 10:
        if (userAgent === undefined && name.toLowerCase() === 'user-agent') userAgent = value;
        break;
      case 9:
        if (name.toLowerCase() === 'forwarded') forwarded.push(value);
        break;
      case 17:
        if (name.toLowerCase() === 'x-forwarded-proto') forwardedProto.push(value);
        break;
      case 16:
        if (name.toLowerCase() === 'x-forwarded-host') forwardedHost.push(value);
        break;
      case 15:
        if (name.toLowerCase() === 'x-forwarded-for') forwardedFor.push(value);
        break;
    }
  }
  return { host, userAgent, forwarded, forwardedProto, forwardedHost, forwardedFor };
}
