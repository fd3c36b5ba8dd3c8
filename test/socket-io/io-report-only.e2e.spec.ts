import { afterEach, describe, expect, it } from 'vitest';
import type { OriginDecisionEvent } from '../../src/index.js';
import type { BootedApp } from '../support/boot.js';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest } from '../support/http-request.js';

const ALLOWED = 'https://app.example.com';
const POLLING = '/socket.io/?EIO=4&transport=polling';

const running: BootedApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((b) => b.app.close()));
});

describe('OriginIoAdapter: report-only mode and the decision hook, as for ws', () => {
  it('lets a refused origin through in report-only mode and logs "would refuse"', async () => {
    const booted = await bootIoApp({
      options: { allowedOrigins: [ALLOWED], mode: 'report-only' },
      gateways: [echoGateway(new GatewayProbe())],
    });
    running.push(booted);
    const answer = await httpRequest(booted.port, 'GET', POLLING, {
      Origin: 'https://unknown.example',
    });
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect(booted.logger.warnings()).toContain(
      `Would refuse WebSocket handshake (report-only): reason=not_allowed origin="https://unknown.example" path="/socket.io/" gateway=EchoGateway remoteAddress="127.0.0.1" userAgent=(none). If this page is yours, add 'https://unknown.example' to the allowed origins.`,
    );
  });

  it('reports every engine.io request decision to onDecision', async () => {
    const events: OriginDecisionEvent[] = [];
    const booted = await bootIoApp({
      gateways: [echoGateway(new GatewayProbe())],
      options: { allowedOrigins: [ALLOWED], onDecision: (event) => void events.push(event) },
    });
    running.push(booted);
    await httpRequest(booted.port, 'GET', POLLING, { Origin: ALLOWED });
    await httpRequest(booted.port, 'GET', POLLING, { Origin: 'https://evil.example' });
    expect(events.map((e) => [e.stage, e.verdict, e.origin, e.path, e.gateway, e.reason])).toEqual([
      ['handshake', 'allowed', ALLOWED, '/socket.io/', 'EchoGateway', undefined],
      ['handshake', 'refused', 'https://evil.example', '/socket.io/', 'EchoGateway', 'not_allowed'],
    ]);
  });
});
