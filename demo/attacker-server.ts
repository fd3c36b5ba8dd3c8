import { createServer, type Server } from 'node:http';
import { attackerPage } from './pages/attacker-page.js';

/**
 * The attacker's site: a page on another origin (another port on the same host, so the
 * browser treats it as same-site and attaches the victim's cookies) that opens the app's
 * socket. Deliberately not a Nest app: an attacker needs nothing from the target.
 */
export function startAttackerServer(
  port: number,
  host: string,
  targetSocketUrl: string,
): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(attackerPage(targetSocketUrl));
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
