import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { startAttackerServer } from '../../demo/attacker-server.js';
import { type ChatEndpoint, chatEndpoint } from '../../demo/chat-endpoint.js';
import { createDemoApp, type DemoAppOptions } from '../../demo/create-demo-app.js';
import { CaptureLogger } from './capture-logger.js';
import { freePort } from './net.js';

/**
 * The demo exactly as `npm start` runs it: the chat app and the attacker's server, both on
 * `localhost` (different ports: different origins of the same site, so the browser attaches
 * the chat's cookies to the attacker's handshake), with the app's log captured.
 */
export interface DemoDeployment {
  /** `http://localhost:<appPort>`: the chat page's origin, which the guard allows. */
  readonly appOrigin: string;
  /** `http://localhost:<attackerPort>`: the attacker's origin, same-site with the app. */
  readonly attackerOrigin: string;
  /** Where pages reach the chat's socket (`ws://localhost:<appPort>/chat`, or the app's origin for Socket.IO). */
  readonly endpoint: ChatEndpoint;
  readonly logger: CaptureLogger;
  /** The guard's `Refused WebSocket …` lines, in order. */
  refusals(): string[];
  /** The guard's `Would refuse WebSocket …` lines (report-only mode), in order. */
  wouldRefuse(): string[];
  /** One line per socket that reached a chat gateway (`Socket opened: origin=… user=…`). */
  gatewayConnections(): string[];
  /** Every HTTP request either server answered, in order: `app GET / 200`. */
  requests(): string[];
  close(): Promise<void>;
}

export type DemoDeploymentOptions = Omit<DemoAppOptions, 'port' | 'host' | 'logger'>;

const HOST = 'localhost';
/** The log contexts of the demo's `ws` and Socket.IO chat gateways. */
const CHAT_GATEWAYS = ['ChatGateway', 'ChatIoGateway'];

export async function deployDemo(options: DemoDeploymentOptions = {}): Promise<DemoDeployment> {
  const logger = new CaptureLogger();
  // The app must know its own port before listening: its origin is in its allowlist.
  const appPort = await freePort();
  const app: INestApplication = await createDemoApp({
    ...options,
    port: appPort,
    host: HOST,
    logger,
  });
  const appOrigin = `http://${HOST}:${appPort}`;
  const endpoint = chatEndpoint(options.transport ?? 'ws', appOrigin);
  let attacker: Server;
  try {
    attacker = await startAttackerServer(0, HOST, endpoint);
  } catch (error) {
    await app.close();
    throw error;
  }
  const attackerPort = (attacker.address() as AddressInfo).port;
  const requests: string[] = [];
  const record = (server: string) => (request: IncomingMessage, response: ServerResponse) => {
    response.on('finish', () =>
      requests.push(`${server} ${request.method} ${request.url} ${response.statusCode}`),
    );
  };
  (app.getHttpServer() as Server).on('request', record('app'));
  attacker.on('request', record('attacker'));
  return {
    appOrigin,
    attackerOrigin: `http://${HOST}:${attackerPort}`,
    endpoint,
    logger,
    refusals: () =>
      logger.warnings('OriginGuard').filter((line) => line.startsWith('Refused WebSocket ')),
    wouldRefuse: () =>
      logger.warnings('OriginGuard').filter((line) => line.startsWith('Would refuse WebSocket ')),
    requests: () => [...requests],
    gatewayConnections: () =>
      logger.lines
        .filter((line) => line.level === 'log' && CHAT_GATEWAYS.includes(line.context ?? ''))
        .map((line) => line.message),
    close: async () => {
      attacker.closeAllConnections();
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
      await app.close();
    },
  };
}
