import { type DynamicModule, Module } from '@nestjs/common';
import { OriginGuardModule, type OriginGuardModuleOptions } from '../src/index.js';
import type { ChatTransport } from './chat-endpoint.js';
import { ChatIoGateway } from './chat-io.gateway.js';
import { ChatGateway } from './chat.gateway.js';
import { CHAT_TRANSPORT, PagesController } from './pages.controller.js';
import { SessionStore } from './session.store.js';

@Module({})
export class DemoAppModule {
  /**
   * @param allowedOrigins the origins of the chat page itself (and any extra ones).
   * @param transport one app serves one chat gateway: Nest installs one WebSocket adapter.
   * @param mode `'report-only'` logs what the guard would refuse and lets it in.
   * @param allowJsonpPolling serve engine.io JSONP polling (Socket.IO; off by default).
   * @param guarded `false` leaves nestjs-origin-guard out: the vulnerable control.
   */
  static register(
    allowedOrigins: string[],
    transport: ChatTransport = 'ws',
    mode: OriginGuardModuleOptions['mode'] = 'enforce',
    allowJsonpPolling = false,
    guarded = true,
  ): DynamicModule {
    return {
      module: DemoAppModule,
      imports: guarded
        ? [OriginGuardModule.forRoot({ allowedOrigins, mode, allowJsonpPolling })]
        : [],
      controllers: [PagesController],
      providers: [
        SessionStore,
        { provide: CHAT_TRANSPORT, useValue: transport },
        transport === 'ws' ? ChatGateway : ChatIoGateway,
      ],
    };
  }
}
