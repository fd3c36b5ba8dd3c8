import { describe, expect, it } from 'vitest';
import { decisionEvent, type DecisionSite } from './decision-event.js';
import type { HandshakeRequest } from './handshake-request.js';
import { hostileHeaders, refusedEvent } from '../../test/support/decisions.js';
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
    expect(decisionEvent(REFUSED, request(), site({ gateways: ['ChatGateway'] }))).toEqual(
      refusedEvent(),
    );
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

  it('carries what an allowed decision tells: the origin, the entry, a tolerated failure', () => {
    const allowed = {
      allowed: true,
      origin: 'https://app.example.com',
      matchedEntry: 'https://*.example.com',
      failure: 'predicate timed out after 50 ms',
    } as const;
    expect(
      decisionEvent(allowed, request(), site({ stage: 'message', gateways: ['A', 'B'] })),
    ).toEqual({
      stage: 'message',
      verdict: 'allowed',
      reportOnly: false,
      reason: undefined,
      origin: 'https://app.example.com',
      host: 'app.example.com',
      path: '/chat',
      remoteAddress: '10.0.0.2',
      userAgent: 'Mozilla/5.0 (Evil)',
      gateway: 'A, B',
      matchedEntry: 'https://*.example.com',
      detail: 'predicate timed out after 50 ms',
    });
  });

  it('carries the detail of a refusal, and whether report-only let it through', () => {
    const malformed = {
      allowed: false,
      reason: 'malformed',
      claimed: 'https://evil.example/',
      detail: 'has a path',
    } as const;
    const event = decisionEvent(malformed, request(), site({ reportOnly: true, path: '*' }));
    expect(event).toEqual({
      stage: 'handshake',
      verdict: 'refused',
      reportOnly: true,
      reason: 'malformed',
      origin: 'https://evil.example/',
      host: 'app.example.com',
      path: '*',
      remoteAddress: '10.0.0.2',
      userAgent: 'Mozilla/5.0 (Evil)',
      gateway: undefined,
      matchedEntry: undefined,
      detail: 'has a path',
    });
  });

  it.each<[string, string[], number | undefined, string | undefined]>([
    [
      'the Host header, lower-cased',
      ['Host', 'App.Example.COM:8443'],
      undefined,
      'app.example.com:8443',
    ],
    [
      'the Host header as sent when it is no origin authority',
      ['Host', 'Bad Host'],
      undefined,
      'Bad Host',
    ],
    [
      'the forwarded host, through a trusted proxy',
      ['Host', 'internal:3000', 'X-Forwarded-Host', 'App.Example.com'],
      1,
      'app.example.com',
    ],
    [
      'the Host header, when the proxy is not trusted',
      ['Host', 'internal:3000', 'X-Forwarded-Host', 'app.example.com'],
      undefined,
      'internal:3000',
    ],
    ['nothing without a Host header', ['User-Agent', 'curl/8'], undefined, undefined],
  ])('host: %s', (_, rawHeaders, hops, host) => {
    const trust = hops === undefined ? undefined : compileTrustProxy(hops);
    const event = decisionEvent(
      REFUSED,
      { rawHeaders, socket: { remoteAddress: '10.0.0.2' } },
      site({ trustProxy: trust }),
    );
    expect(event.host).toBe(host);
  });
});
