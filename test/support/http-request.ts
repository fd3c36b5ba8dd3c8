import { request } from 'node:http';

export interface HttpAnswer {
  /** `HTTP/1.1 403 Forbidden`. */
  readonly statusLine: string;
  /** Header lines as sent, lower-cased names, in order; `Date` left out as it changes. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/**
 * One plain HTTP request with exactly the given headers (no agent, so no connection reuse),
 * for engine.io polling requests a browser page could send.
 */
export function httpRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!.toLowerCase();
          if (name !== 'date') pairs.push([name, res.rawHeaders[i + 1]!]);
        }
        resolve({
          statusLine: `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}`,
          headers: pairs,
          body: text,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The `sid` of an engine.io polling handshake answer (`0{"sid":...}`). */
export function sidOf(handshakeBody: string): string {
  const open = JSON.parse(handshakeBody.slice(1)) as { sid: string };
  return open.sid;
}
