import { describe, expect, it } from 'vitest';
import { readRequestHeaders } from './request-headers.js';

describe('readRequestHeaders', () => {
  it('reads each name in any case: the first Host and User-Agent, every forwarded line', () => {
    const raw = [
      'Hots',
      'x',
      'HOST',
      'a.example',
      'Xhost',
      'y',
      'host',
      'b.example',
      'User-Agent',
      'first',
      'user-agent',
      'second',
      'Forwarded',
      'for=1.1.1.1',
      'X-Forwarded-Proto',
      'https',
      'forwarded',
      'for=2.2.2.2;proto=http',
      'x-forwarded-host',
      'h1',
      'X-Forwarded-Host',
      'h2',
      'X-FORWARDED-FOR',
      '3.3.3.3',
      'X-Forwarded-For',
      '4.4.4.4, 5.5.5.5',
      'Dangling',
    ];
    expect(readRequestHeaders(raw)).toStrictEqual({
      host: 'a.example',
      userAgent: 'first',
      forwarded: ['for=1.1.1.1', 'for=2.2.2.2;proto=http'],
      forwardedProto: ['https'],
      forwardedHost: ['h1', 'h2'],
      forwardedFor: ['3.3.3.3', '4.4.4.4, 5.5.5.5'],
    });
  });

  it('ignores names of the same length and a name without a value', () => {
    const sameLengths = [
      ['Hozt', 'x'],
      ['User-Agenz', 'y'],
      ['Forwardex', 'z'],
      ['X-Forwarded-Prot0', 'p'],
      ['X-Forwarded-Hozt', 'h'],
      ['X-Forwarded-Fox', 'f'],
    ].flat();
    expect(readRequestHeaders([...sameLengths, 'X-Forwarded-For'])).toStrictEqual({
      host: undefined,
      userAgent: undefined,
      forwarded: [],
      forwardedProto: [],
      forwardedHost: [],
      forwardedFor: [],
    });
  });
});
