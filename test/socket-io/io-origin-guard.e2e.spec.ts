import { describe, expect, it } from 'vitest';
import { getHandshakeOrigin } from '../../src/index.js';
import { bootForSuite } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { connectIo, type IoTransport, ioRoundTrip } from '../support/io-client.js';

const APP = 'https://app.example.com';
const ADMIN = 'https://admin.example.com';
const REFUSED = {
  exception: { status: 'error', message: 'Origin not allowed' },
  disconnect: 'io server disconnect',
};

async function connected(url: string, origin: string | undefined, transports?: IoTransport[]) {
  const outcome = await connectIo(url, { origin, transports });
  expect(outcome.connected).toBe(true);
  if (!outcome.connected) throw new Error(`refused: ${outcome.message}`);
  return outcome.socket;
}

const transportCases: [string, IoTransport[] | undefined][] = [
  ['websocket', ['websocket']],
  ['polling', ['polling']],
  ['the default upgrade path', undefined],
];

/** The main namespace, and a named one whose origin is recorded by its own middleware. */
describe.each([
  ['the main namespace', undefined],
  ['namespace /chat', 'chat'],
])('OriginGuard on Socket.IO handlers in %s', (_name, namespace) => {
  const probe = new GatewayProbe();
  const booted = bootForSuite(() =>
    bootIoApp({
      options: { allowedOrigins: [APP, ADMIN] },
      gateways: [echoGateway(probe, { options: { namespace }, adminOrigins: [ADMIN] })],
    }),
  );
  const url = () => `http://127.0.0.1:${booted.port}/${namespace ?? ''}`;

  describe.each(transportCases)('over %s', (_transport, transports) => {
    it('lets a handler without its own list run for every origin the engine accepted', async () => {
      const socket = await connected(url(), APP, transports);
      expect(await ioRoundTrip(socket, 'guarded', 1)).toEqual({ reply: 1 });
      socket.close();
    });

    it('runs a narrowed handler for its origin', async () => {
      const socket = await connected(url(), ADMIN, transports);
      expect(await ioRoundTrip(socket, 'admin', 'go')).toEqual({ reply: 'go' });
      socket.close();
    });

    it('emits an exception and disconnects when the handshake origin is outside the handler list', async () => {
      const socket = await connected(url(), APP, transports);
      const before = probe.messages;
      expect(await ioRoundTrip(socket, 'admin', 'go')).toEqual(REFUSED);
      expect(probe.messages).toBe(before);
    });
  });

  it('treats a client without Origin by allowMissingOrigin, as the handshake did', async () => {
    const socket = await connected(url(), undefined, ['websocket']);
    expect(await ioRoundTrip(socket, 'admin', 'cli')).toEqual({ reply: 'cli' });
    socket.close();
  });
});

describe('The origin recorded for a Socket.IO client', () => {
  it('is the normalized origin of its handshake, readable with getHandshakeOrigin()', async () => {
    const probe = new GatewayProbe();
    const recorded: unknown[] = [];
    const Gateway = echoGateway(probe);
    // Reads what the adapter recorded, from inside the gateway, for the client Nest passes in.
    Gateway.prototype.handleConnection = (client: { request: unknown }) => {
      const handshake = getHandshakeOrigin(client);
      // the request is kept for re-checks that read it (same-origin, predicates)
      recorded.push({
        origin: handshake?.origin,
        sameRequest: handshake?.request === client.request,
      });
    };
    const booted = await bootIoApp({ options: { allowedOrigins: [APP] }, gateways: [Gateway] });
    const base = `http://127.0.0.1:${booted.port}`;
    const viaPolling = await connected(base, 'https://APP.example.com:443', ['polling']);
    const viaWebSocket = await connected(base, undefined, ['websocket']);
    viaPolling.close();
    viaWebSocket.close();
    await booted.app.close();
    expect(recorded).toEqual([
      { origin: APP, sameRequest: true },
      { origin: undefined, sameRequest: true },
    ]);
  });
});

describe('OriginGuard on Socket.IO without the origin-checking adapter', () => {
  const probe = new GatewayProbe();
  const booted = bootForSuite(() =>
    bootIoApp({ adapter: 'plain', gateways: [echoGateway(probe)] }),
  );

  it('fails closed: no origin was recorded, so guarded handlers refuse', async () => {
    const socket = await connected(`http://127.0.0.1:${booted.port}`, APP, ['websocket']);
    expect(await ioRoundTrip(socket, 'guarded', 1)).toEqual(REFUSED);
    expect(probe.messages).toBe(0);
  });
});
