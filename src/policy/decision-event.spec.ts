import { describe, expect, it } from 'vitest';
import { decisionEvent, type DecisionSite } from './decision-event.js';
import type { HandshakeRequest } from './handshake-request.js';
import { hostileHeaders } from '../../test/support/decisions.js';
import { compileTrustProxy } from './request-origin.js';

const REFUSED = { allowed: false, reason: 'not_allowed', claimed: 'https://evil.example' } as const;

function request(
  overrides: Partial<HandshakeRequest> & { headers?: string[] } = {},
): HandshakeRequest {
  return {
    rawHeaders: [
      ...hostileHeaders('https://evil.example', 'Mozilla/5.0 (Evil)'),
      ...(overrides.headers ?? []),
    ],
    url: overrides.url ?? '/chat',
    socket: overrides.socket ?? { remoteAddress: '10.0.0.2' },
  };
}

/** A handshake at `/chat` without gateways or trusted proxies, unless overridden. */
const site = (overrides: Partial<DecisionSite> = {}): DecisionSite => ({
  stage: 'handshake',
  reportOnly: false,
  trustProxy: undefined,
  gateways: [],
  path: '/chat',
  ...overrides,
});

describe('decisionEvent', () => {
  it('carries the client address and User-Agent, and the routed path', () => {
    expect(decisionEvent(REFUSED, request(), site({ gateways: ['ChatGateway'] }))).toEqual({
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
      const event = decisionEvent(REFUSED, request({ url }), site());
      expect(event.path).toBe('/chat');
    }
  });

  it('believes X-Forwarded-For only through trusted proxies', () => {
    const forwarded = request({ headers: ['X-Forwarded-For', '198.51.100.7, 192.0.2.1'] });
    const at = (trust: Parameters<typeof compileTrustProxy>[0] | undefined) =>
      decisionEvent(
        REFUSED,
        forwarded,
        site({ trustProxy: trust === undefined ? undefined : compileTrustProxy(trust) }),
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
    const event = decisionEvent(
      REFUSED,
      bare,
      site({ stage: 'message', trustProxy: compileTrustProxy(1), gateways: ['G.h'], path: '' }),
    );
    expect([event.remoteAddress, event.userAgent, event.host]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
