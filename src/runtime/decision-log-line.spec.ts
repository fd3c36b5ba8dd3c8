import { describe, expect, it } from 'vitest';
import { quoteForLog } from './decision-log-line.js';

describe('quoteForLog', () => {
  it('keeps plain printable ASCII and escapes each other kind of character', () => {
    const quoted = [' !#[]~az09', 'a"b', 'a\\b', '\u001f', '\u007f', 'é', 'ā', ''].map(quoteForLog);
    expect(quoted).toEqual([
      '" !#[]~az09"',
      '"a\\"b"',
      '"a\\\\b"',
      '"\\x1f"',
      '"\\x7f"',
      '"\\xe9"',
      '"\\u{101}"',
      '""',
    ]);
  });

  it('truncates past 120 characters, plain or escaped', () => {
    expect(quoteForLog('x'.repeat(120))).toBe(`"${'x'.repeat(120)}"`);
    expect(quoteForLog('x'.repeat(121))).toBe(`"${'x'.repeat(120)}"…(121 chars)`);
    expect(quoteForLog(`${'x'.repeat(119)}"`)).toBe(`"${'x'.repeat(119)}\\""`);
  });
});
