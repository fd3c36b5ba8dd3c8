import { describe, expect, it } from 'vitest';
import { decisionEvent } from './decision-event.js';
import type { HandshakeRequest } from './handshake-request.js';
import { compileTrustProxy } from './request-origin.js';

const REFUSED = { allowed: false, reason: 'not_allowed', claimed: 'https://evil.example' } as const;

function request(
  overrides: Partial<HandshakeRequest> & { headers?: string[] } = {},
): HandshakeRequest {
  return {
    rawHeaders: [
      'Host',
      'app.example.com',
      'Origin',
      'https://evil.example',
      'User-Agent',
      'Mozilla/5.0 (Evil)',
      ...(overrides.headers ?? []),
    ],
    url: overrides.url ?? '/chat',
    socket: overrides.socket ?? { remoteAddress: '10.0.0.2' },
  };
}

describe('decisionEvent', () => {
  it('carries the client address and User-Agent, and the routed path', () => {
    expect(
      decisionEvent('handshake', REFUSED, false, request(), undefined, ['ChatGateway'], '/chat'),
    ).toEqual({
      stage: 'handshake',
      verdict: 'refused',
      reportOnly: false,
      reason: 'not_allowed',
      origin: 'https://evil.example',
      host: 'app.example.com',
      path: '/chat',
      remoteAddress: '10.0.0.2',
      userAgent: 'Mozilla/5.0 (Evil)',
      gateway: 'ChatGateway',
      matchedEntry: undefined,
      detail: undefined,
    });
  });

  it('reports the routed path, never the request target the client wrote', () => {
    for (const url of ['http://evil.example/x?token=secret', '/chat/../admin?x=1', '*']) {
      const event = decisionEvent(
        'handshake',
        REFUSED,
        false,
        request({ url }),
        undefined,
        [],
        '/chat',
      );
      expect(event.path).toBe('/chat');
    }
  });

  it('believes X-Forwarded-For only through trusted proxies', () => {
    const forwarded = request({ headers: ['X-Forwarded-For', '198.51.100.7, 192.0.2.1'] });
    const at = (trust: Parameters<typeof compileTrustProxy>[0] | undefined) =>
      decisionEvent(
        'handshake',
        REFUSED,
        false,
        forwarded,
        trust === undefined ? undefined : compileTrustProxy(trust),
        [],
        '/chat',
      ).remoteAddress;
    expect(at(undefined)).toBe('10.0.0.2');
    expect(at(['192.168.0.0/16'])).toBe('10.0.0.2');
    expect(at(1)).toBe('192.0.2.1');
    expect(at(2)).toBe('198.51.100.7');
    expect(at(5)).toBe('198.51.100.7');
    expect(at(['10.0.0.0/8', '192.0.2.1'])).toBe('198.51.100.7');
  });

  it('leaves what the request does not tell undefined', () => {
    const bare: HandshakeRequest = { rawHeaders: [] };
    const event = decisionEvent('message', REFUSED, false, bare, compileTrustProxy(1), ['G.h'], '');
    expect([event.remoteAddress, event.userAgent, event.host]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
