import { describe, expect, it } from 'vitest';
import { cell } from './render-table.js';

describe('cell', () => {
  it('escapes what is not printable ASCII, so a server cannot write to the terminal', () => {
    expect(cell('403 Forbidden')).toBe('403 Forbidden');
    expect(cell('https://\uff41pp.example.com')).toBe('https://\\u{ff41}pp.example.com');
    expect(cell('OK\u001b[2J')).toBe('OK\\u{1b}[2J');
  });

  it('truncates long cells', () => {
    expect(cell('x'.repeat(100))).toBe(`${'x'.repeat(71)}…`);
  });
});
