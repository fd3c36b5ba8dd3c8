import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Header, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OriginGuardModule } from '../../src/index.js';
import { CaptureLogger } from './capture-logger.js';
import { GraphqlProbe, graphqlSubscriptions, TICKS_SUBSCRIPTION } from './graphql-app.js';
import { freePort } from './net.js';

/**
 * A Nest app with GraphQL subscriptions on `/graphql` that serves its own page (the victim's
 * app, which sets a session cookie), and an attacker's plain HTTP server on another port of
 * `localhost` serving the same page: same-site with the app, so the browser attaches the
 * app's cookie to the attacker page's handshake.
 */

/** What the page's subscription ended with, as it reports it in `window.subscriptionOutcome`. */
export interface PageOutcome {
  readonly received: string[];
  /** A `complete` message arrived for the subscription. */
  readonly completed: boolean;
  /** The socket's `error` event fired (a refused handshake). */
  readonly error: boolean;
  readonly closeCode: number;
  readonly wasClean: boolean;
}

/** The session cookie the app's page sets. */
export const SESSION_COOKIE = 'gql_session=alice';

/**
 * A page that runs `subscription { ticks }` over `new WebSocket(url, 'graphql-transport-ws')`,
 * speaking the protocol by hand (`connection_init`, `subscribe`, then `next` until `complete`),
 * and reports the outcome in `window.subscriptionOutcome` once the socket closes.
 */
export function subscriptionPage(socketUrl: string): string {
  const script = `
const outcome = { received: [], completed: false, error: false };
const socket = new WebSocket(${JSON.stringify(socketUrl)}, 'graphql-transport-ws');
socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.type === 'connection_ack') {
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: ${JSON.stringify(TICKS_SUBSCRIPTION)} } }));
  } else if (message.type === 'next') {
    outcome.received.push(message.payload.data.ticks);
    document.getElementById('log').textContent = outcome.received.join(', ');
  } else if (message.type === 'complete') {
    outcome.completed = true;
    socket.close(1000, 'done');
  }
};
socket.onerror = () => { outcome.error = true; };
socket.onclose = (event) => {
  window.subscriptionOutcome = { ...outcome, closeCode: event.code, wasClean: event.wasClean };
};`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>ticks</title></head><body><p id="log"></p><script>${script}</script></body></html>`;
}

export interface GraphqlDeployment {
  /** `http://localhost:<appPort>`: the app's page, the origin it allows when guarded. */
  readonly appOrigin: string;
  /** `http://localhost:<attackerPort>`: same-site with the app. */
  readonly attackerOrigin: string;
  /** `ws://localhost:<appPort>/graphql`. */
  readonly socketUrl: string;
  readonly probe: GraphqlProbe;
  /** Origin and Cookie of every handshake that reached graphql-ws `onConnect`, in order. */
  readonly connected: { origin: string | undefined; cookie: string | undefined }[];
  /** The guard's `Refused WebSocket …` lines, in order. */
  refusals(): string[];
  close(): Promise<void>;
}

const HOST = 'localhost';

export async function deployGraphql(
  options: { guarded?: boolean } = {},
): Promise<GraphqlDeployment> {
  const logger = new CaptureLogger();
  const probe = new GraphqlProbe();
  const connected: GraphqlDeployment['connected'] = [];
  // The app must know its own port before listening: its origin is its allowlist.
  const appPort = await freePort();
  const appOrigin = `http://${HOST}:${appPort}`;
  const socketUrl = `ws://${HOST}:${appPort}/graphql`;
  const page = subscriptionPage(socketUrl);

  @Controller()
  class PageController {
    @Get()
    @Header('Content-Type', 'text/html; charset=utf-8')
    @Header('Set-Cookie', `${SESSION_COOKIE}; Path=/; SameSite=Lax; HttpOnly`)
    page(): string {
      return page;
    }
  }

  const { imports, providers } = graphqlSubscriptions(probe, {
    onConnect: (request: IncomingMessage) =>
      void connected.push({ origin: request.headers.origin, cookie: request.headers.cookie }),
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ...(options.guarded === false
        ? []
        : [OriginGuardModule.forRoot({ allowedOrigins: [appOrigin] })]),
      ...imports,
    ],
    controllers: [PageController],
    providers,
  })
    .setLogger(logger)
    .compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger });
  await app.listen(appPort, HOST);

  // The attacker needs nothing from the app but its socket URL.
  const attacker: Server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(page);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      attacker.once('error', reject);
      attacker.listen(0, HOST, resolve);
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  const attackerPort = (attacker.address() as AddressInfo).port;
  return {
    appOrigin,
    attackerOrigin: `http://${HOST}:${attackerPort}`,
    socketUrl,
    probe,
    connected,
    refusals: () =>
      logger.warnings('OriginGuard').filter((line) => line.startsWith('Refused WebSocket ')),
    close: async () => {
      attacker.closeAllConnections();
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
      await app.close();
    },
  };
}
