import { UseGuards } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { OriginGuard } from '../src/index.js';
import { AllowAllGuard } from './allow-all.guard.js';

/**
 * The gateway under test: handlers that differ only in their guard, so the message benchmark
 * isolates the guard's cost. They do the least work a handler could, which makes guard
 * overhead as visible as it can be.
 */
@WebSocketGateway()
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
