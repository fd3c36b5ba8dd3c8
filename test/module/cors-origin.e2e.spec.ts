import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsOrigin, OriginGuardModule, type OriginPredicate } from '../../src/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { type HttpAnswer, httpRequest } from '../support/http-request.js';
import type { HttpPlatform } from '../support/boot.js';

@Controller()
class DataController {
  @Get('data')
  data() {
    return { ok: true };
  }
}

const partner: OriginPredicate = async (origin) => origin === 'https://partner.example';

function corsHeaders(answer: HttpAnswer): Record<string, string> {
  return Object.fromEntries(answer.headers.filter(([name]) => name.startsWith('access-control-')));
}

describe.each<HttpPlatform>(['express', 'fastify'])('corsOrigin() on %s', (platform) => {
  let app: INestApplication;
  let port: number;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        OriginGuardModule.forRoot({
          allowedOrigins: ['https://app.example.com', 'https://*.example.org', partner],
        }),
      ],
      controllers: [DataController],
    })
      .setLogger(new CaptureLogger())
      .compile();
    app =
      platform === 'fastify'
        ? moduleRef.createNestApplication(new FastifyAdapter(), { logger: new CaptureLogger() })
        : moduleRef.createNestApplication({ logger: new CaptureLogger() });
    app.enableCors({ origin: corsOrigin(app), credentials: true });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it.each([
    ['an exact entry', 'https://app.example.com'],
    ['a wildcard entry', 'https://api.example.org'],
    ['a predicate', 'https://partner.example'],
  ])('answers an origin allowed by %s with CORS headers', async (_entry, origin) => {
    const answer = await httpRequest(port, 'GET', '/data', { Origin: origin });
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect(corsHeaders(answer)).toEqual({
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
    });
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['the wildcard apex', 'https://example.org'],
    ['a scheme downgrade', 'http://app.example.com'],
    ['userinfo', 'https://app.example.com@evil.example'],
    ['a comma-joined list', 'https://app.example.com, https://evil.example'],
    ['null', 'null'],
  ])('gives %s no CORS headers', async (_case, origin) => {
    const answer = await httpRequest(port, 'GET', '/data', { Origin: origin });
    expect(corsHeaders(answer)).not.toHaveProperty('access-control-allow-origin');
  });

  it('answers an allowed preflight, and no other', async () => {
    const preflight = (origin: string) =>
      httpRequest(port, 'OPTIONS', '/data', {
        Origin: origin,
        'Access-Control-Request-Method': 'PUT',
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.statusLine).toBe('HTTP/1.1 204 No Content');
    expect(corsHeaders(allowed)).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
    });
    expect(corsHeaders(await preflight('https://evil.example'))).not.toHaveProperty(
      'access-control-allow-origin',
    );
  });

  it('adds nothing to a request without Origin', async () => {
    const answer = await httpRequest(port, 'GET', '/data', {});
    expect(answer.body).toBe('{"ok":true}');
    expect(corsHeaders(answer)).not.toHaveProperty('access-control-allow-origin');
  });
});
