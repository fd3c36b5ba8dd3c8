import { describe, expect, it } from 'vitest';
import { quoteForLog } from './decision-log-line.js';

describe('quoteForLog', () => {
  it.each([
    ['plain printable ASCII, kept as it is', ' !#[]~az09', '" !#[]~az09"'],
    ['a quote', 'a"b', '"a\\"b"'],
    ['a backslash', 'a\\b', '"a\\\\b"'],
    ['the last control character', '\u001f', '"\\x1f"'],
    ['DEL', '\u007f', '"\\x7f"'],
    ['a Latin-1 letter', 'é', '"\\xe9"'],
    ['a character past Latin-1', 'ā', '"\\u{101}"'],
    ['an empty value', '', '""'],
  ])('%s', (_what, text, quoted) => {
    expect(quoteForLog(text)).toBe(quoted);
  });

  it('truncates past 120 characters, plain or escaped', () => {
    expect(quoteForLog('x'.repeat(120))).toBe(`"${'x'.repeat(120)}"`);
    expect(quoteForLog('x'.repeat(121))).toBe(`"${'x'.repeat(120)}"…(121 chars)`);
    expect(quoteForLog(`${'x'.repeat(119)}"`)).toBe(`"${'x'.repeat(119)}\\""`);
  });
});
