import { UseGuards } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { OriginGuard } from '../src/index.js';
import { AllowAllGuard } from './allow-all.guard.js';

/**
 * The gateway under test: handlers that differ only in their guard, so the message benchmark
 * isolates the guard's cost. They do the least work a handler could, which makes guard
 * overhead as visible as it can be.
 */
/**
 * Engine.io keeps a polling session whose client went away until its ping times out (ping
 * interval + timeout, 25 s + 20 s by default; `connectTimeout` only starts the close, which a
 * polling transport then holds for the client's next poll). The polling handshake benchmark
 * opens thousands of sessions a second: with these timeouts each is gone half a second after
 * its handshake, so a measured window pays for tearing down the sessions it opened, and leaves
 * no teardown behind for the next server on its core (with 2 s + 1 s, that teardown took
 * 5–18% of the core for 3 s after the window, while the next server was measured). `ws`
 * ignores these options.
 */
const SESSION_TIMEOUTS = { pingInterval: 300, pingTimeout: 200, connectTimeout: 300 };

@WebSocketGateway(SESSION_TIMEOUTS)
export class BenchGateway {
  @SubscribeMessage('plain')
  plain(@MessageBody() data: unknown) {
    return { event: 'plain', data };
  }

  @UseGuards(AllowAllGuard)
  @SubscribeMessage('allow')
  allowAll(@MessageBody() data: unknown) {
    return { event: 'allow', data };
  }

  @UseGuards(OriginGuard)
  @SubscribeMessage('guard')
  guarded(@MessageBody() data: unknown) {
    return { event: 'guard', data };
  }
}

/**
 * The gateway of the plain (Nest-only) servers: the same handlers without guards, in an app
 * without `OriginGuardModule`, whose app-wide upgrade gate would check every upgrade and
 * whose bootstrap refuses gateways served by an adapter that does not check origins.
 */
@WebSocketGateway(SESSION_TIMEOUTS)
export class PlainBenchGateway {
  @SubscribeMessage('plain')
  plain(@MessageBody() data: unknown) {
    return { event: 'plain', data };
  }

  @SubscribeMessage('allow')
  allowAll(@MessageBody() data: unknown) {
    return { event: 'allow', data };
  }

  @SubscribeMessage('guard')
  guarded(@MessageBody() data: unknown) {
    return { event: 'guard', data };
  }
}
