import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { Test } from '@nestjs/testing';
import { WebSocketGateway } from '@nestjs/websockets';
import { Server, type ServerOptions } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { OriginIoAdapter, withOriginCheck } from '../../src/socket-io/index.js';
import type { BootedApp, HttpPlatform } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest } from '../support/http-request.js';
import { connectIo } from '../support/io-client.js';

const ALLOWED = 'https://app.example.com';
const EVIL = 'https://evil.example';
const POLLING = '/socket.io/?EIO=4&transport=polling';

/**
 * Stands in for an application's existing adapter (a Redis adapter, say): it overrides
 * `createIOServer`, changes an engine option, and adds Socket.IO middleware of its own.
 */
class CustomIoAdapter extends IoAdapter {
  readonly servers: Server[] = [];
  middlewareRuns = 0;

  override createIOServer(port: number, options?: ServerOptions): Server {
    // Nest passes only the gateway's options, though the type promises all of them.
    const server = super.createIOServer(port, {
      ...options,
      pingInterval: 12_345,
    } as ServerOptions);
    server.use((_socket, next) => {
      this.middlewareRuns++;
      next();
    });
    this.servers.push(server);
    return server;
  }
}

/** A subclass of OriginIoAdapter whose createIOServer builds the server itself, without super. */
class HandBuiltOriginIoAdapter extends OriginIoAdapter {
  override createIOServer(port: number, options?: ServerOptions): Server {
    return new Server(port === 0 ? this.httpServer : port, { ...options, pingInterval: 23_456 });
  }
}

const opened: BootedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.app.close()));
});

describe.each(['express', 'fastify'] as HttpPlatform[])('withOriginCheck on %s', (platform) => {
  it('adds the check to an adapter class that overrides createIOServer, keeping its changes', async () => {
    const OriginCustomIoAdapter = withOriginCheck(CustomIoAdapter);
    let adapter: CustomIoAdapter | undefined;
    const probe = new GatewayProbe();
    const booted = await bootIoApp({
      platform,
      gateways: [echoGateway(probe)],
      adapter: (app) => (adapter = new OriginCustomIoAdapter(app)),
    });
    opened.push(booted);
    expect(adapter).toBeInstanceOf(CustomIoAdapter);
    expect(OriginCustomIoAdapter.name).toBe('CustomIoAdapterWithOriginCheck');

    // Refused at the HTTP level: the adapter's own Socket.IO middleware never runs.
    const base = `http://127.0.0.1:${booted.port}`;
    expect(await connectIo(base, { origin: EVIL, transports: ['websocket'] })).toEqual({
      connected: false,
      message: 'websocket error',
      description: 'Unexpected server response: 403',
    });
    expect((await httpRequest(booted.port, 'GET', POLLING, { Origin: EVIL })).statusLine).toBe(
      'HTTP/1.1 403 Forbidden',
    );
    expect({ middleware: adapter!.middlewareRuns, connections: probe.connections }).toEqual({
      middleware: 0,
      connections: 0,
    });

    // Accepted: the custom server (its engine option, its middleware) serves the client.
    const handshake = await httpRequest(booted.port, 'GET', POLLING, { Origin: ALLOWED });
    expect(handshake.body).toContain('"pingInterval":12345');
    const outcome = await connectIo(base, { origin: ALLOWED, transports: ['websocket'] });
    expect(outcome.connected).toBe(true);
    if (outcome.connected) outcome.socket.close();
    expect({ middleware: adapter!.middlewareRuns, connections: probe.connections }).toEqual({
      middleware: 1,
      connections: 1,
    });
    expect(adapter!.servers).toHaveLength(1);
  });

  it('still checks when a subclass of OriginIoAdapter builds its server without super', async () => {
    const probe = new GatewayProbe();
    const booted = await bootIoApp({
      platform,
      gateways: [echoGateway(probe, { options: { namespace: 'chat' } })],
      adapter: (app) => new HandBuiltOriginIoAdapter(app),
    });
    opened.push(booted);
    const handshake = await httpRequest(booted.port, 'GET', POLLING, { Origin: ALLOWED });
    expect(handshake.body).toContain('"pingInterval":23456');
    expect((await httpRequest(booted.port, 'GET', POLLING, { Origin: EVIL })).statusLine).toBe(
      'HTTP/1.1 403 Forbidden',
    );
    const url = `http://127.0.0.1:${booted.port}/chat`;
    expect(await connectIo(url, { origin: EVIL, transports: ['polling'] })).toEqual({
      connected: false,
      message: 'xhr poll error',
      description: 403,
    });
    const outcome = await connectIo(url, { origin: ALLOWED, transports: ['polling'] });
    expect(outcome.connected).toBe(true);
    if (outcome.connected) outcome.socket.close();
    expect(probe.connections).toBe(1);
  });
});

describe('withOriginCheck without OriginGuardModule', () => {
  it('fails at startup and says how to fix it', async () => {
    @WebSocketGateway()
    class UnguardedGateway {}
    const moduleRef = await Test.createTestingModule({ providers: [UnguardedGateway] })
      .setLogger(new CaptureLogger())
      .compile();
    const app: INestApplication = moduleRef.createNestApplication({ logger: new CaptureLogger() });
    app.useWebSocketAdapter(new (withOriginCheck(CustomIoAdapter))(app));
    const error = await app.init().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await app.close();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      'CustomIoAdapterWithOriginCheck found no origin policy. Import OriginGuardModule.forRoot({ allowedOrigins: [...] }) in your application module, and construct the adapter with the application: new CustomIoAdapterWithOriginCheck(app).',
    );
  });
});
