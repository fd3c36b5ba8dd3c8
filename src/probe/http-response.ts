/** An HTTP answer as far as the probe reads it. */
export interface HttpResponse {
  readonly status: number;
  /** The reason phrase, as the server wrote it (may be empty). */
  readonly reason: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  /** The body as Latin-1 text, at most `MAX_BODY_BYTES` of it. */
  readonly body: string;
}

/** Enough for an engine.io handshake answer; the rest of a larger body is not read. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface ResponseHead {
  readonly status: number;
  readonly reason: string;
  readonly headers: ReadonlyMap<string, string>;
  /** Where the body starts in the buffer. */
  readonly bodyStart: number;
}

/**
 * Reads the status line and headers once the blank line that ends them has arrived;
 * `undefined` until then. A first line that is not `HTTP/1.x NNN …` reads as status 0.
 */
export function parseHead(data: Buffer): ResponseHead | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] ([0-9]{3})(?: (.*))?$/.exec(statusLine);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  return {
    status: match === null ? 0 : Number(match[1]),
    reason: match?.[2] ?? '',
    headers,
    bodyStart: end + 4,
  };
}

/**
 * The body once it is complete: by `Content-Length`, by chunked encoding, or (neither given)
 * when the server closed the connection (`ended`). `undefined` while more is expected.
 */
export function completeBody(head: ResponseHead, data: Buffer, ended: boolean): string | undefined {
  const raw = data.subarray(head.bodyStart);
  const length = head.headers.get('content-length');
  if (length !== undefined && /^[0-9]+$/.test(length)) {
    const wanted = Math.min(Number(length), MAX_BODY_BYTES);
    if (raw.length >= wanted) return raw.subarray(0, wanted).toString('latin1');
    return ended ? raw.toString('latin1') : undefined;
  }
  if (/\bchunked\b/i.test(head.headers.get('transfer-encoding') ?? '')) {
    const decoded = dechunk(raw);
    if (decoded !== undefined) return decoded;
  }
  if (ended || raw.length >= MAX_BODY_BYTES)
    return raw.subarray(0, MAX_BODY_BYTES).toString('latin1');
  return undefined;
}

/** The chunks of a chunked body up to its last (empty) chunk; `undefined` if not there yet. */
function dechunk(raw: Buffer): string | undefined {
  let offset = 0;
  let text = '';
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return text;
    if (size === 0) return text;
    const start = lineEnd + 2;
    if (raw.length < start + size) return undefined;
    text += raw.subarray(start, start + size).toString('latin1');
    if (text.length >= MAX_BODY_BYTES) return text.slice(0, MAX_BODY_BYTES);
    offset = start + size + 2;
  }
}
