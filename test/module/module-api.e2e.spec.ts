import { type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AllowedOrigins,
  InjectOriginGuardOptions,
  getOriginGuardOptionsToken,
  type OriginDecision,
  OriginGuard,
  OriginGuardModule,
  type OriginGuardModuleOptions,
  type OriginGuardOptionsFactory,
} from '../../src/index.js';
import { type BootedApp, bootApp } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { expectOpened, openWs, roundTrip } from '../support/net.js';

/** The module's public API beyond forRoot: useClass, the options token, guard hooks. */

const opened: BootedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.app.close()));
});

@Injectable()
class OriginOptions implements OriginGuardOptionsFactory {
  createOriginGuardOptions(): OriginGuardModuleOptions {
    return { allowedOrigins: ['https://from-class.example'] };
  }
}

@Injectable()
class OptionsReader {
  constructor(@InjectOriginGuardOptions() readonly options: OriginGuardModuleOptions) {}
}

describe('OriginGuardModule API', () => {
  it('builds its options with forRootAsync({ useClass }), and injects them where asked', async () => {
    const probe = new GatewayProbe();
    const booted = await bootApp({
      gateways: [echoGateway(probe, { options: { path: '/ws' } })],
      originModule: OriginGuardModule.forRootAsync({ useClass: OriginOptions }),
      providers: [OptionsReader],
    });
    opened.push(booted);
    const url = `ws://127.0.0.1:${booted.port}/ws`;
    expectOpened(await openWs(url, 'https://from-class.example')).close();
    expect(await openWs(url, 'https://app.example.com')).toEqual({
      opened: false,
      statusCode: 403,
    });
    expect(booted.app.get(OptionsReader).options).toEqual({
      allowedOrigins: ['https://from-class.example'],
    });
    expect(booted.app.get(getOriginGuardOptionsToken())).toEqual({
      allowedOrigins: ['https://from-class.example'],
    });
  });
});

/** A subclass that overrides a hook, with no constructor of its own. */
@Injectable()
class ExplainingGuard extends OriginGuard {
  static refused: string[] = [];
  protected override onRefused(client: object, decision: OriginDecision): void {
    ExplainingGuard.refused.push(decision.allowed ? 'allowed' : decision.reason);
    super.onRefused(client, decision);
  }
  protected override describeHandler(context: ExecutionContext): string {
    return `hooked:${context.getHandler().name}`;
  }
}

@WebSocketGateway({ path: '/hooks' })
class HookedGateway {
  @UseGuards(ExplainingGuard)
  @AllowedOrigins('https://admin.example.com')
  @SubscribeMessage('admin')
  admin() {
    return { event: 'admin', data: 'ok' };
  }
}

describe('OriginGuard subclass hooks', () => {
  it('runs an overridden onRefused and describeHandler, with the base class constructor', async () => {
    const booted = await bootApp({ gateways: [HookedGateway] });
    opened.push(booted);
    const socket = expectOpened(
      await openWs(`ws://127.0.0.1:${booted.port}/hooks`, 'https://app.example.com'),
    );
    expect(await roundTrip(socket, 'admin', null)).toEqual({
      closeCode: 1008,
      closeReason: 'Origin not allowed',
    });
    expect(ExplainingGuard.refused).toEqual(['not_allowed']);
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket message: reason=not_allowed origin="https://app.example.com" handler=hooked:admin remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add 'https://app.example.com' to the allowed origins.`,
    );
  });
});
