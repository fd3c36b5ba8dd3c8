import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { startAttackerServer } from '../../demo/attacker-server.js';
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
  readonly socketUrl: string;
  readonly logger: CaptureLogger;
  /** What the guard logged about refused handshakes, in order. */
  refusals(): string[];
  /** One line per socket that reached the chat gateway (`Socket opened: origin=… user=…`). */
  gatewayConnections(): string[];
  close(): Promise<void>;
}

export type DemoDeploymentOptions = Omit<DemoAppOptions, 'port' | 'host' | 'logger'>;

const HOST = 'localhost';

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
  const socketUrl = `ws://${HOST}:${appPort}/chat`;
  let attacker: Server;
  try {
    attacker = await startAttackerServer(0, HOST, socketUrl);
  } catch (error) {
    await app.close();
    throw error;
  }
  const attackerPort = (attacker.address() as AddressInfo).port;
  return {
    appOrigin: `http://${HOST}:${appPort}`,
    attackerOrigin: `http://${HOST}:${attackerPort}`,
    socketUrl,
    logger,
    refusals: () => logger.warnings('OriginGuard'),
    gatewayConnections: () =>
      logger.lines
        .filter((line) => line.level === 'log' && line.context === 'ChatGateway')
        .map((line) => line.message),
    close: async () => {
      attacker.closeAllConnections();
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
      await app.close();
    },
  };
}
