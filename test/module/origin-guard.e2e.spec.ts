import { describe, expect, it } from 'vitest';
import { bootApp, bootForSuite } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { openWs, roundTrip, type WsOutcome } from '../support/net.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';

function opened(outcome: WsOutcome) {
  expect(outcome.opened).toBe(true);
  if (!outcome.opened) throw new Error('handshake refused');
  return outcome.socket;
}

describe('OriginGuard on ws handlers', () => {
  const probe = new GatewayProbe();
  const booted = bootForSuite(() =>
    bootApp({
      options: { allowedOrigins: [APP, ADMIN] },
      gateways: [echoGateway(probe, { options: { path: '/ws' }, adminOrigins: [ADMIN] })],
    }),
  );
  const url = () => `ws://127.0.0.1:${booted.port}/ws`;

  it('lets a handler without its own list run for every origin the gateway accepted', async () => {
    const socket = opened(await openWs(url(), APP));
    expect(await roundTrip(socket, 'guarded', 1)).toEqual({ reply: { event: 'guarded', data: 1 } });
    socket.close();
  });

  it('runs a narrowed handler for its origin', async () => {
    const socket = opened(await openWs(url(), ADMIN));
    expect(await roundTrip(socket, 'admin', 'go')).toEqual({
      reply: { event: 'admin', data: 'go' },
    });
    socket.close();
  });

  it('closes with 1008 when the handshake origin is outside the handler list, without running it', async () => {
    const socket = opened(await openWs(url(), APP));
    const before = probe.messages;
    expect(await roundTrip(socket, 'admin', 'go')).toEqual({
      closeCode: 1008,
      closeReason: 'Origin not allowed',
    });
    expect(probe.messages).toBe(before);
    expect(booted.logger.warnings()).toContain(
      `Refused WebSocket message: reason=not_allowed origin="${APP}" handler=EchoGateway.admin remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add '${APP}' to the allowed origins.`,
    );
  });

  it('still refuses a narrowed handler after the same client passed a wider one', async () => {
    const socket = opened(await openWs(url(), APP));
    for (let i = 0; i < 3; i++) {
      expect(await roundTrip(socket, 'guarded', i)).toEqual({
        reply: { event: 'guarded', data: i },
      });
    }
    expect(await roundTrip(socket, 'admin', 'go')).toEqual({
      closeCode: 1008,
      closeReason: 'Origin not allowed',
    });
  });

  it('treats a client without Origin by allowMissingOrigin, as the handshake did', async () => {
    const socket = opened(await openWs(url()));
    expect(await roundTrip(socket, 'admin', 'cli')).toEqual({
      reply: { event: 'admin', data: 'cli' },
    });
    socket.close();
  });
});

describe('OriginGuard without the origin-checking adapter', () => {
  const probe = new GatewayProbe();
  const booted = bootForSuite(() =>
    bootApp({
      adapter: 'plain',
      gateways: [echoGateway(probe, { options: { path: '/ws' } })],
    }),
  );

  it('fails closed: no origin was recorded, so guarded handlers refuse and say why', async () => {
    const socket = opened(await openWs(`ws://127.0.0.1:${booted.port}/ws`, APP));
    expect(await roundTrip(socket, 'guarded', 1)).toEqual({
      closeCode: 1008,
      closeReason: 'Origin not allowed',
    });
    expect(probe.messages).toBe(0);
    expect(booted.logger.warnings()).toContain(
      'Refused WebSocket message: reason=missing origin=(none) detail="no origin was recorded at the handshake: is the origin-checking adapter installed?" handler=EchoGateway.guarded remoteAddress=(none) userAgent=(none)',
    );
  });
});
