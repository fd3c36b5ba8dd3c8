/**
 * The bytes of one handshake request, as a browser would send it (header set and order): a
 * WebSocket upgrade, or (`kind: 'poll'`) the plain `GET` of an engine.io polling handshake.
 */
export function handshakeRequest(
  port: number,
  path: string,
  origin: string | undefined,
  kind: 'upgrade' | 'poll' = 'upgrade',
): Buffer {
  const originLine = origin === undefined ? [] : [`Origin: ${origin}`];
  const userAgent =
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
  const lines =
    kind === 'upgrade'
      ? [
          `GET ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          'Connection: Upgrade',
          'Pragma: no-cache',
          'Cache-Control: no-cache',
          userAgent,
          'Upgrade: websocket',
          ...originLine,
          'Sec-WebSocket-Version: 13',
          'Accept-Encoding: gzip, deflate, br',
          'Accept-Language: en-US,en;q=0.9',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ]
      : [
          `GET ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          'Connection: keep-alive',
          userAgent,
          'Accept: */*',
          ...originLine,
          'Sec-Fetch-Site: cross-site',
          'Sec-Fetch-Mode: cors',
          'Sec-Fetch-Dest: empty',
          'Accept-Encoding: gzip, deflate, br',
          'Accept-Language: en-US,en;q=0.9',
        ];
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
}
