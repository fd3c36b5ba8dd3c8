import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { bootApp, bootForSuite } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { FORBIDDEN_UPGRADE } from '../support/expected.js';
import { selfSignedCertificate } from '../support/self-signed-certificate.js';

/** What a client reads of a refused upgrade, and how the server ended the connection. */
interface Ending {
  readonly raw: string;
  /** The server's FIN arrived ('end') before the socket closed. */
  readonly ended: boolean;
  readonly error: string | undefined;
}

function refusedUpgrade(socket: Socket, port: number): Promise<Ending> {
  return new Promise((resolve) => {
    let raw = '';
    let ended = false;
    let error: string | undefined;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.on('end', () => (ended = true));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ raw, ended, error }));
    socket.write(
      [
        'GET /ws HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Origin: https://evil.example.org',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

/**
 * A refused upgrade is closed at once on plain TCP (the answer is in the kernel) and only once
 * the answer is flushed on TLS; either way the client reads the whole 403 and then the
 * server's FIN, never a reset.
 */
describe.each([
  ['plain TCP', undefined],
  ['TLS', selfSignedCertificate()],
] as const)('a refused upgrade over %s', (name, certificate) => {
  const booted = bootForSuite(() =>
    bootApp({
      gateways: [echoGateway(new GatewayProbe(), { options: { path: '/ws' } })],
      ...(certificate === undefined ? {} : { httpsOptions: certificate }),
    }),
  );

  it('gets the whole 403, then the server closes the connection cleanly (FIN)', async () => {
    const endings: Ending[] = [];
    for (let i = 0; i < 20; i++) {
      const socket =
        name === 'TLS'
          ? connectTls({ port: booted.port, host: '127.0.0.1', rejectUnauthorized: false })
          : connectTcp(booted.port, '127.0.0.1');
      endings.push(await refusedUpgrade(socket, booted.port));
    }
    for (const ending of endings) {
      expect(ending).toEqual({ raw: FORBIDDEN_UPGRADE, ended: true, error: undefined });
    }
  });
});
