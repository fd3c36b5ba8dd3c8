import { type DynamicModule, Module } from '@nestjs/common';
import { OriginGuardModule } from '../src/index.js';
import { ChatGateway } from './chat.gateway.js';
import { PagesController } from './pages.controller.js';
import { SessionStore } from './session.store.js';

@Module({})
export class DemoAppModule {
  /** @param allowedOrigins the origins of the chat page itself. */
  static register(allowedOrigins: string[]): DynamicModule {
    return {
      module: DemoAppModule,
      imports: [OriginGuardModule.forRoot({ allowedOrigins })],
      controllers: [PagesController],
      providers: [SessionStore, ChatGateway],
    };
  }
}
