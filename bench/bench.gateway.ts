import { UseGuards } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { OriginGuard } from '../src/index.js';
import { AllowAllGuard } from './allow-all.guard.js';

/**
 * The gateway under test: handlers that differ only in their guard, so the message benchmark
 * isolates the guard's cost. They do the least work a handler could, which makes guard
 * overhead as visible as it can be.
 */
// Engine.io and Socket.IO drop an idle session after ping interval + timeout and a session
// without a namespace after `connectTimeout` (25 s + 20 s and 45 s by default). The polling
// handshake benchmark opens thousands per second on servers kept warm across rounds; short
// timeouts keep the sessions alive at a time in the thousands, not the hundreds of
// thousands. `ws` ignores these options.
@WebSocketGateway({ pingInterval: 2_000, pingTimeout: 1_000, connectTimeout: 2_000 })
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
@WebSocketGateway({ pingInterval: 2_000, pingTimeout: 1_000, connectTimeout: 2_000 })
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
