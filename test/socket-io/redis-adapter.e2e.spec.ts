import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Test } from '@nestjs/testing';
import {
  MessageBody,
  type OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OriginGuardModule } from '../../src/index.js';
import { withOriginCheck } from '../../src/socket-io/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { FORBIDDEN_POLLING, notAllowedLine } from '../support/expected.js';
import { httpRequest } from '../support/http-request.js';
import { connectIo } from '../support/io-client.js';
import { type RedisServer, redisSuiteRuns, startRedis } from '../support/redis-server.js';

/**
 * The Redis adapter as the Nest docs write it (docs.nestjs.com/websockets/adapter), wrapped by
 * `withOriginCheck`, in two app instances sharing a real `redis-server`: broadcasts cross the
 * instances, and a hostile origin is refused by both. The class also type-checks against
 * `withOriginCheck` (this file is part of `npm run typecheck`).
 */
class RedisIoAdapter extends IoAdapter {
  private adapterConstructor!: ReturnType<typeof createAdapter>;
  /** Not in the docs: the test closes its clients when the app closes. */
  private readonly clients: { quit(): Promise<unknown> }[] = [];

  async connectToRedis(url: string): Promise<void> {
    const pubClient = createClient({ url });
    const subClient = pubClient.duplicate();
    this.clients.push(pubClient, subClient);

    await Promise.all([pubClient.connect(), subClient.connect()]);

    this.adapterConstructor = createAdapter(pubClient, subClient);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    server.adapter(this.adapterConstructor);
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all(this.clients.map((client) => client.quit()));
  }
}

const OriginRedisIoAdapter = withOriginCheck(RedisIoAdapter);

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

@WebSocketGateway()
class ShoutGateway implements OnGatewayConnection {
  @WebSocketServer() server!: Server;
  connections = 0;

  handleConnection(): void {
    this.connections++;
  }

  /** Broadcasts to every client of every instance: the Redis adapter carries it across. */
  @SubscribeMessage('shout')
  shout(@MessageBody() text: string): void {
    this.server.emit('heard', text);
  }
}

interface Instance {
  readonly app: INestApplication;
  readonly url: string;
  readonly port: number;
  readonly gateway: ShoutGateway;
}

async function instance(redis: RedisServer, logger: CaptureLogger): Promise<Instance> {
  const moduleRef = await Test.createTestingModule({
    imports: [OriginGuardModule.forRoot({ allowedOrigins: [APP] })],
    providers: [ShoutGateway],
  })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication({ logger });
  const adapter = new OriginRedisIoAdapter(app);
  await adapter.connectToRedis(redis.url);
  app.useWebSocketAdapter(adapter);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, port, gateway: app.get(ShoutGateway) };
}

/** Until both instances have subscribed to the shared channel (a readiness wait, not a timing). */
async function bothSubscribed(server: Server): Promise<void> {
  while ((await server.of('/').adapter.serverCount()) < 2) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!redisSuiteRuns())(
  'withOriginCheck(RedisIoAdapter): two instances, one Redis',
  () => {
    let redis: RedisServer;
    const logger = new CaptureLogger();
    const instances: Instance[] = [];

    beforeAll(async () => {
      redis = await startRedis();
      instances.push(await instance(redis, logger), await instance(redis, logger));
      await bothSubscribed(instances[0]!.gateway.server);
    });
    afterAll(async () => {
      await Promise.all(instances.map(({ app }) => app.close()));
      await redis?.stop();
    });

    it('carries a broadcast from a client of one instance to a client of the other', async () => {
      const [one, two] = instances as [Instance, Instance];
      const sender = await connectIo(one.url, { origin: APP, transports: ['websocket'] });
      const receiver = await connectIo(two.url, { origin: APP, transports: ['polling'] });
      if (!sender.connected || !receiver.connected)
        throw new Error('an allowed origin was refused');
      const heard = new Promise((resolve) => receiver.socket.once('heard', resolve));
      sender.socket.emit('shout', 'hello from instance one');
      expect(await heard).toBe('hello from instance one');
      sender.socket.close();
      receiver.socket.close();
    });

    it('refuses a hostile origin on both instances with 403, before any gateway code', async () => {
      const before = instances.map(({ gateway }) => gateway.connections);
      for (const { url, port } of instances) {
        const answer = await httpRequest(port, 'GET', '/socket.io/?EIO=4&transport=polling', {
          Origin: EVIL,
        });
        expect([answer.statusLine, answer.body]).toEqual([
          FORBIDDEN_POLLING.statusLine,
          FORBIDDEN_POLLING.body,
        ]);
        expect(await connectIo(url, { origin: EVIL, transports: ['websocket'] })).toMatchObject({
          connected: false,
          description: 'Unexpected server response: 403',
        });
      }
      expect(instances.map(({ gateway }) => gateway.connections)).toEqual(before);
      // Each instance logs its own refusal (both apps write to one logger here).
      expect(
        logger
          .warnings()
          .filter((line) => line === notAllowedLine(EVIL, '/socket.io/', 'ShoutGateway')),
      ).toHaveLength(2);
    });

    it('names the wrapped adapter in each startup summary', () => {
      const summaries = logger.lines
        .filter((l) => l.level === 'log' && l.context === 'OriginGuard')
        .filter((l) => l.message.startsWith('ShoutGateway:'))
        .map((l) => l.message.replace(/port \d+/, 'port N'));
      expect(summaries).toEqual([
        `ShoutGateway: Socket.IO on port N (the app's HTTP server), path "/socket.io/", enforced by withOriginCheck(RedisIoAdapter): mode=enforce, missing Origin allowed, null refused, 1 entry: '${APP}' (exact)`,
        `ShoutGateway: Socket.IO on port N (the app's HTTP server), path "/socket.io/", enforced by withOriginCheck(RedisIoAdapter): mode=enforce, missing Origin allowed, null refused, 1 entry: '${APP}' (exact)`,
      ]);
    });
  },
);
