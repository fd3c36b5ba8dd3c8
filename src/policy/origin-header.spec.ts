import { describe, expect, it } from 'vitest';
import { readOriginClaim, singleOriginClaim } from './origin-header.js';

describe('readOriginClaim', () => {
  it.each([
    [[], { kind: 'missing' }],
    [['Host', 'a.example'], { kind: 'missing' }],
    [['Origin', 'https://a.example'], { kind: 'single', value: 'https://a.example' }],
    [['sec-websocket-origin', 'https://a.example'], { kind: 'single', value: 'https://a.example' }],
    // A dangling name without a value is not a header line.
    [['Origin', 'https://a.example', 'Origin'], { kind: 'single', value: 'https://a.example' }],
    [['Origin'], { kind: 'missing' }],
    [
      ['Cookie', 'sid=1', 'Origin', 'https://a.example'],
      { kind: 'single', value: 'https://a.example' },
    ],
    [
      ['ORIGIN', 'https://a.example', 'Sec-WebSocket-Origin', 'https://b.example'],
      { kind: 'duplicate', value: 'https://a.example, https://b.example' },
    ],
    // Every claim is shown, only claims, and not a dangling name.
    [
      ['Origin', 'https://a.example', 'Host', 'h', 'Origin', 'https://b.example', 'Origin', 'c'],
      { kind: 'duplicate', value: 'https://a.example, https://b.example, c' },
    ],
    [
      ['Origin', 'https://a.example', 'Origin', 'https://b.example', 'Origin'],
      { kind: 'duplicate', value: 'https://a.example, https://b.example' },
    ],
  ])('%j', (rawHeaders, claim) => {
    expect(readOriginClaim(rawHeaders)).toEqual(claim);
  });
});

describe('singleOriginClaim', () => {
  it.each([
    [[], undefined],
    [['Cookie', 'sid=1', 'Origin', 'https://a.example'], 'https://a.example'],
    [['Origin', 'https://a.example', 'Origin'], 'https://a.example'],
    [['Origin', 'https://a.example', 'sec-websocket-origin', 'https://b.example'], null],
  ])('%j', (rawHeaders, claim) => {
    expect(singleOriginClaim(rawHeaders)).toBe(claim);
  });
});
