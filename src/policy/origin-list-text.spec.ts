import { describe, expect, it } from 'vitest';
import { OriginPolicy } from './origin-policy.js';
import { parseOriginList } from './origin-list-text.js';

describe('parseOriginList', () => {
  it.each([
    ['https://a.example, https://b.example,', ['https://a.example', 'https://b.example']],
    ['https://a.example,https://b.example', ['https://a.example', 'https://b.example']],
    ['\n  https://a.example\n  https://b.example\n', ['https://a.example', 'https://b.example']],
    [
      'https://a.example ,, \t https://b.example ;',
      ['https://a.example', 'https://b.example', ';'],
    ],
    ['https://a.example\r\n', ['https://a.example']],
    ['', []],
    [' , ,\n', []],
    [
      'https://example.com:[8443, 9443], http://[::1]:3000',
      ['https://example.com:[8443, 9443]', 'http://[::1]:3000'],
    ],
    ['*', ['*']],
  ])('%j', (text, expected) => {
    expect(parseOriginList(text)).toEqual(expected);
  });

  it('gives entries the policy compiles, port lists included', () => {
    const { problems } = OriginPolicy.compile(
      parseOriginList('https://a.example, https://example.com:[8443, 9443],\nhttps://b.example/,'),
      {},
      'WS_ORIGINS',
    );
    expect(problems).toEqual([]);
  });

  it('refuses what is not text, instead of an empty allowlist by accident', () => {
    expect(() => parseOriginList(undefined as unknown as string)).toThrow(
      new TypeError(
        "parseOriginList expects a string, got undefined: pass the variable's text, e.g. config.getOrThrow<string>('WS_ORIGINS')",
      ),
    );
  });
});
