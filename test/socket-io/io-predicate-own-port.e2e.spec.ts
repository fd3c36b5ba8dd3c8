import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginPredicate } from '../../src/index.js';
import type { BootedApp } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { tryConnectIo } from '../support/io-client.js';
import { freePort } from '../support/net.js';

/**
 * A Socket.IO gateway on a port of its own has no app-wide gate in front of it, so its engine
 * check is the one that waits for a predicate still deciding: on the polling handshake and on
 * a WebSocket upgrade. Each origin here is new to the predicate's answer cache, so each
 * handshake waits for it.
 */

/** Allows `https://<name>.partner.example`, after a turn of the event loop, as a lookup would. */
const partners: OriginPredicate = async (origin) => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return /^https:\/\/[a-z]+\.partner\.example$/.test(origin);
};

describe('a predicate deciding a Socket.IO handshake on its own port', () => {
  const probe = new GatewayProbe();
  let booted: BootedApp;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    booted = await bootIoApp({
      options: { allowedOrigins: [partners] },
      gateways: [echoGateway(probe, { port })],
    });
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(() => booted.app.close());

  it('lets an allowed polling handshake through once it answers', async () => {
    const before = probe.connections;
    expect(
      await tryConnectIo(url, { origin: 'https://a.partner.example', transports: ['polling'] }),
    ).toBe('connected');
    expect(probe.connections).toBe(before + 1);
  });

  it('lets an allowed WebSocket upgrade through once it answers', async () => {
    const before = probe.connections;
    expect(
      await tryConnectIo(url, { origin: 'https://b.partner.example', transports: ['websocket'] }),
    ).toBe('connected');
    expect(probe.connections).toBe(before + 1);
  });

  it('refuses both when it says no, and no gateway code runs', async () => {
    const before = probe.counts();
    expect(
      await tryConnectIo(url, { origin: 'https://evil.example', transports: ['polling'] }),
    ).toEqual({ connected: false, message: 'xhr poll error', description: 403 });
    expect(
      await tryConnectIo(url, { origin: 'https://evil.example', transports: ['websocket'] }),
    ).toMatchObject({ connected: false, message: 'websocket error' });
    expect(probe.counts()).toEqual(before);
  });
});
