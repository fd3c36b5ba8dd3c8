/** The bytes of one WebSocket upgrade request, as a browser would send it (header set and order). */
export function handshakeRequest(port: number, path: string, origin: string | undefined): Buffer {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Connection: Upgrade',
    'Pragma: no-cache',
    'Cache-Control: no-cache',
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    'Upgrade: websocket',
    ...(origin === undefined ? [] : [`Origin: ${origin}`]),
    'Sec-WebSocket-Version: 13',
    'Accept-Encoding: gzip, deflate, br',
    'Accept-Language: en-US,en;q=0.9',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  ];
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
}
