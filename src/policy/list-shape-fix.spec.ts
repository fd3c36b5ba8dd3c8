import { describe, expect, it } from 'vitest';
import { OriginPolicy } from './origin-policy.js';

/** The fix given for an allowlist configured as something other than an array. */
function fixFor(list: unknown): string {
  const { problems } = OriginPolicy.compile(list, {}, 'origins');
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ at: 'origins', problem: 'is not an array' });
  return problems[0]!.fix;
}

describe('the fix for an allowlist that is not an array', () => {
  it('wraps a single origin in an array', () => {
    expect(fixFor('https://app.example.com')).toBe(
      "wrap it in an array: ['https://app.example.com']",
    );
  });

  it('repairs the entry it wraps', () => {
    expect(fixFor('app.example.com/')).toBe("wrap it in an array: ['https://app.example.com']");
  });

  it('lists every entry a refused entry repairs to', () => {
    expect(fixFor('https://example.com:8443:*')).toBe(
      "wrap it in an array: ['https://example.com:*', 'https://example.com:8443']",
    );
  });

  it.each(['', ' , '])('gives the generic fix for %j, which spells no entry', (list) => {
    expect(fixFor(list)).toBe("pass an array of origins such as ['https://app.example.com']");
  });
});
