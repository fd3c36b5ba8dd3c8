import { type DynamicModule, Module } from '@nestjs/common';
import { OriginGuardModule, type OriginGuardModuleOptions } from '../src/index.js';
import { ChatIoGateway } from './chat-io.gateway.js';
import { ChatGateway } from './chat.gateway.js';
import { DEMO_SETTINGS, type DemoSettings } from './demo-settings.js';
import { PagesController } from './pages.controller.js';
import { SessionStore } from './session.store.js';

export interface DemoModuleOptions extends DemoSettings {
  /** The origins of the chat page itself (and any extra ones). */
  readonly allowedOrigins: string[];
  /** `'report-only'` logs what the guard would refuse and lets it in. */
  readonly mode?: OriginGuardModuleOptions['mode'];
  /** Serve engine.io JSONP polling (Socket.IO; off by default). */
  readonly allowJsonpPolling?: boolean;
  /** Logins shared with another demo app (the guarded chat and its control); its own if none. */
  readonly sessions?: SessionStore;
}

@Module({})
export class DemoAppModule {
  /** One app serves one chat gateway: Nest installs one WebSocket adapter. */
  static register(options: DemoModuleOptions): DynamicModule {
    const { allowedOrigins, mode = 'enforce', allowJsonpPolling = false } = options;
    const settings: DemoSettings = {
      transport: options.transport,
      guarded: options.guarded,
      logLabel: options.logLabel,
    };
    return {
      module: DemoAppModule,
      // The control leaves nestjs-origin-guard out: its bootstrap refuses unchecked gateways.
      imports: options.guarded
        ? [OriginGuardModule.forRoot({ allowedOrigins, mode, allowJsonpPolling })]
        : [],
      controllers: [PagesController],
      providers: [
        options.sessions === undefined
          ? SessionStore
          : { provide: SessionStore, useValue: options.sessions },
        { provide: DEMO_SETTINGS, useValue: settings },
        options.transport === 'ws' ? ChatGateway : ChatIoGateway,
      ],
    };
  }
}
