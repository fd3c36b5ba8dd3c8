import { describe, expect, it } from 'vitest';
import { decisionEvent } from './decision-event.js';
import { compileTrustProxy } from './request-origin.js';

const REQUEST = {
  rawHeaders: ['Host', 'App.Example.com', 'X-Forwarded-Host', 'proxied.example'],
  url: '/chat?token=secret',
  socket: { remoteAddress: '10.0.0.1' },
};

describe('decisionEvent', () => {
  it('describes an allowed handshake', () => {
    expect(
      decisionEvent(
        'handshake',
        { allowed: true, origin: 'https://a.example', matchedEntry: 'https://a.example' },
        false,
        REQUEST,
        undefined,
        ['ChatGateway', 'AdminGateway'],
      ),
    ).toEqual({
      stage: 'handshake',
      verdict: 'allowed',
      reportOnly: false,
      reason: undefined,
      origin: 'https://a.example',
      host: 'app.example.com',
      path: '/chat',
      gateway: 'ChatGateway, AdminGateway',
      matchedEntry: 'https://a.example',
      detail: undefined,
    });
  });

  it('describes a predicate that failed open', () => {
    expect(
      decisionEvent(
        'handshake',
        { allowed: true, origin: 'https://a.example', matchedEntry: '[function p]', failure: 'x' },
        false,
        REQUEST,
        undefined,
        [],
      ),
    ).toMatchObject({ verdict: 'allowed', detail: 'x', gateway: undefined });
  });

  it('describes a refused message, with the forwarded host of a trusted proxy', () => {
    expect(
      decisionEvent(
        'message',
        {
          allowed: false,
          reason: 'malformed',
          claimed: 'https://a b',
          detail: 'contains whitespace',
        },
        true,
        REQUEST,
        compileTrustProxy(1),
        ['ChatGateway.send'],
      ),
    ).toEqual({
      stage: 'message',
      verdict: 'refused',
      reportOnly: true,
      reason: 'malformed',
      origin: 'https://a b',
      host: 'proxied.example',
      path: '',
      gateway: 'ChatGateway.send',
      matchedEntry: undefined,
      detail: 'contains whitespace',
    });
  });

  it('falls back to the raw Host header when it is no valid authority', () => {
    expect(
      decisionEvent(
        'handshake',
        { allowed: false, reason: 'missing', claimed: undefined },
        false,
        { rawHeaders: ['Host', 'bad host'] },
        undefined,
        [],
      ),
    ).toMatchObject({ host: 'bad host', path: '', origin: undefined });
  });
});
