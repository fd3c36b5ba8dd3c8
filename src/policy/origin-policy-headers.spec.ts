import { beforeEach, describe, expect, it } from 'vitest';
import {
  compileClean as compile,
  decideOrigin,
  decideSync,
} from '../../test/support/decide-sync.js';
import type { OriginPolicy } from './origin-policy.js';

// How the header lines of a handshake make its origin claim: repeated, missing, `null`, `*`.

let policy: OriginPolicy;
beforeEach(() => {
  policy = compile(['https://app.example.com']);
});

describe('OriginPolicy: header lines', () => {
  it('refuses two Origin lines, even when both are allowed', () => {
    const decision = decideSync(policy, [
      'Origin',
      'https://app.example.com',
      'origin',
      'https://app.example.com',
    ]);
    expect(decision).toEqual({
      allowed: false,
      reason: 'duplicate',
      claimed: 'https://app.example.com, https://app.example.com',
    });
  });

  it('checks Sec-WebSocket-Origin (what ws reads for version 8) and refuses it next to Origin', () => {
    expect(decideSync(policy, ['Sec-WebSocket-Origin', 'https://evil.com'])).toMatchObject({
      allowed: false,
      reason: 'not_allowed',
      claimed: 'https://evil.com',
    });
    expect(decideSync(policy, ['Sec-WebSocket-Origin', 'https://app.example.com'])).toMatchObject({
      allowed: true,
    });
    expect(
      decideSync(policy, [
        'Origin',
        'https://app.example.com',
        'Sec-WebSocket-Origin',
        'https://evil.com',
      ]),
    ).toMatchObject({ allowed: false, reason: 'duplicate' });
  });

  it('treats a missing Origin by allowMissingOrigin', () => {
    expect(decideSync(policy, ['Host', 'x'])).toEqual({
      allowed: true,
      origin: undefined,
      matchedEntry: undefined,
    });
    const strict = compile(['https://app.example.com'], false);
    expect(decideSync(strict, ['Host', 'x'])).toEqual({
      allowed: false,
      reason: 'missing',
      claimed: undefined,
    });
  });

  it("refuses Origin: null unless 'null' is listed", () => {
    expect(decideOrigin(policy, 'null')).toEqual({
      allowed: false,
      reason: 'null',
      claimed: 'null',
    });
    const withNull = compile(['https://app.example.com', 'null']);
    expect(decideOrigin(withNull, 'null')).toEqual({
      allowed: true,
      origin: 'null',
      matchedEntry: 'null',
    });
  });

  it("allows every well-formed origin and null with '*', and still refuses malformed ones", () => {
    const any = compile(['*']);
    expect(any.allowsAnyOrigin).toBe(true);
    expect(decideOrigin(any, 'https://evil.com')).toMatchObject({
      allowed: true,
      matchedEntry: '*',
    });
    expect(decideOrigin(any, 'null')).toMatchObject({ allowed: true, matchedEntry: '*' });
    expect(decideOrigin(any, 'https://a.com@evil.com')).toMatchObject({ reason: 'malformed' });
  });

  it('refuses everything when the list is empty, except a missing Origin when allowed', () => {
    const none = compile([]);
    expect(decideOrigin(none, 'https://app.example.com')).toMatchObject({ reason: 'not_allowed' });
    expect(decideSync(none, [])).toMatchObject({ allowed: true });
  });
});
