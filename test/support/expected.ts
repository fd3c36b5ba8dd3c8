/**
 * What the library answers, byte for byte, shared by every suite that asserts it.
 */

/** What `rejectUpgrade` writes for a refused WebSocket upgrade. */
export const FORBIDDEN_UPGRADE =
  'HTTP/1.1 403 Forbidden\r\n' +
  'Connection: close\r\n' +
  'Content-Type: text/plain; charset=utf-8\r\n' +
  'Content-Length: 9\r\n' +
  '\r\n' +
  'Forbidden';

/** What a refused engine.io polling request gets: no `Access-Control-*` header, whatever `cors` says. */
export const FORBIDDEN_POLLING = {
  statusLine: 'HTTP/1.1 403 Forbidden',
  headers: [
    ['connection', 'close'],
    ['content-type', 'text/plain; charset=utf-8'],
    ['content-length', '9'],
  ],
  body: 'Forbidden',
};

/** Who a log line says sent the request. */
export interface SeenClient {
  readonly remoteAddress: string | undefined;
  readonly userAgent: string | undefined;
}

/** The suites' own clients: `ws`, raw sockets and socket.io-client on 127.0.0.1, no User-Agent. */
export const LOOPBACK: SeenClient = { remoteAddress: '127.0.0.1', userAgent: undefined };

function quoted(text: string | undefined): string {
  return text === undefined ? '(none)' : `"${text}"`;
}

/** How a refusal line names the client: ` remoteAddress="127.0.0.1" userAgent=(none)`. */
export function clientFields({ remoteAddress, userAgent }: SeenClient = LOOPBACK): string {
  return ` remoteAddress=${quoted(remoteAddress)} userAgent=${quoted(userAgent)}`;
}

/** The refusal log line for a well-formed origin that no entry allows. */
export function notAllowedLine(
  origin: string,
  path: string,
  gateway: string,
  client: SeenClient = LOOPBACK,
): string {
  return `Refused WebSocket handshake: reason=not_allowed origin="${origin}" path="${path}" gateway=${gateway}${clientFields(client)}. If this page is yours, add '${origin}' to the allowed origins.`;
}

/** The refusal log line for an engine.io JSONP polling request. */
export function jsonpLine(
  path: string,
  gateway: string,
  origin = '(none)',
  client: SeenClient = LOOPBACK,
): string {
  return `Refused WebSocket handshake: reason=jsonp origin=${origin} path="${path}" gateway=${gateway}${clientFields(client)}. JSONP polling (a j= query parameter) lets a <script> tag on any site use the session; set allowJsonpPolling: true only if legacy clients need it.`;
}

/** The refusal log line for an Origin-less request whose Fetch Metadata gives a browser away. */
export function browserWithoutOriginLine(
  detail: string,
  path: string,
  gateway: string,
  client: SeenClient = LOOPBACK,
): string {
  return `Refused WebSocket handshake: reason=browser_without_origin origin=(none) detail="${detail}" path="${path}" gateway=${gateway}${clientFields(client)}. A browser sent this request without Origin (a <script>, <img> or navigation); no allowMissingOrigin setting accepts it.`;
}
