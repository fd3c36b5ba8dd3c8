import type { AddressInfo } from 'node:net';
import type { INestApplication, Provider, WebSocketAdapter } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OriginGuardModule, type OriginPredicate } from '../../src/index.js';
import { CaptureLogger } from './capture-logger.js';
import {
  ALLOWED_ORIGIN,
  type CrashServerCommand,
  type CrashServerDecided,
  type CrashServerMessage,
  type CrashServerTransport,
  TENANT_ORIGIN,
} from './crash-server-process.js';
import { echoGateway, GatewayProbe } from './echo-gateway.js';

/**
 * A guarded Nest server meant to run alone in a child process (`startCrashServer`), so that a
 * test can tell whether something took the process down: an unhandled 'error' event or
 * rejection ends this process, where in the test's own process it would only be reported.
 *
 * `node --import ./test/support/ts-register.mjs test/support/crash-server.ts <ws|socket.io> <sync|async>`
 *
 * One gateway on `/<sync|async>`: `sync` decides from its list alone (synchronously), `async`
 * asks a predicate for any origin not listed. The predicate answers `true` for `TENANT_ORIGIN`,
 * and holds every other origin until the parent sends `release` (then refuses them, and every
 * later one at once), telling the parent about each origin it holds.
 */

function send(message: CrashServerMessage): void {
  process.send!(message);
}

async function main(transport: CrashServerTransport, decided: CrashServerDecided): Promise<void> {
  const held: (() => void)[] = [];
  let released = false;
  const slowTenants: OriginPredicate = (origin) => {
    if (origin === TENANT_ORIGIN) return true;
    if (released) return false;
    send({ type: 'deciding', origin });
    return new Promise<boolean>((resolve) => held.push(() => resolve(false)));
  };
  // One gateway, so one `ws` or engine.io server on the HTTP server: a second engine.io server
  // would put its own 'error' listener on every upgrade socket outside its path (engine.io's
  // `attach()`), and hide a missing one in ours.
  const gateway = echoGateway(new GatewayProbe(), {
    name: decided === 'sync' ? 'SyncGateway' : 'AsyncGateway',
    options: { path: `/${decided}` },
    allowedOrigins: decided === 'sync' ? [ALLOWED_ORIGIN] : [ALLOWED_ORIGIN, slowTenants],
  });
  // As `bootApp` does, without loading Fastify, which this server does not use.
  const logger = new CaptureLogger();
  const moduleRef = await Test.createTestingModule({
    imports: [
      OriginGuardModule.forRoot({
        allowedOrigins: [ALLOWED_ORIGIN],
        // Long enough that only `release` decides a held origin, never the timeout.
        predicates: { timeoutMs: 600_000 },
      }),
    ],
    providers: [gateway as Provider],
  })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication({ logger });
  app.useWebSocketAdapter(await originAdapter(transport, app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.on('message', (command: CrashServerCommand) => {
    if (command.type === 'ping') return send({ type: 'pong' });
    released = true;
    const count = held.length;
    for (const answer of held.splice(0)) answer();
    // After the refusals those answers lead to, which run in microtasks.
    setImmediate(() => send({ type: 'released', held: count }));
  });
  send({ type: 'ready', port });
}

/** Only the transport in use is loaded. */
async function originAdapter(
  transport: CrashServerTransport,
  app: INestApplication,
): Promise<WebSocketAdapter> {
  if (transport === 'ws') {
    const { OriginWsAdapter } = await import('../../src/ws/index.js');
    return new OriginWsAdapter(app);
  }
  const { OriginIoAdapter } = await import('../../src/socket-io/index.js');
  return new OriginIoAdapter(app);
}

if (process.send === undefined) {
  throw new Error('crash-server.ts runs as a child process of a test (startCrashServer).');
}
// The test's process went away: so does this one.
process.once('disconnect', () => process.exit(0));
const [transport, decided] = process.argv.slice(2);
if (transport !== 'ws' && transport !== 'socket.io') {
  throw new Error(`crash-server.ts: unknown transport ${String(transport)}`);
}
if (decided !== 'sync' && decided !== 'async') {
  throw new Error(`crash-server.ts: unknown decision mode ${String(decided)}`);
}
await main(transport, decided);
