import { createServer, type Server } from 'node:http';
import type { ChatEndpoint } from './chat-endpoint.js';
import { ATTACKER_PAGE_PATHS, attackerPage } from './pages/attacker-page.js';

/**
 * The attacker's site: a page on another origin (another port on the same host, so the
 * browser treats it as same-site and attaches the victim's cookies) that opens the app's
 * socket (`ws` or Socket.IO), at `/`, and the same attack from a sandboxed iframe (`Origin: null`) at
 * `/sandboxed`. Deliberately not a Nest app: an attacker needs nothing from the target.
 *
 * `port` 0 picks a free port; read it from the returned server's `address()`.
 */
export function startAttackerServer(
  port: number,
  host: string,
  target: ChatEndpoint,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const launch = path === ATTACKER_PAGE_PATHS['sandboxed-iframe'] ? 'sandboxed-iframe' : 'page';
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(attackerPage(target, launch));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
