import { describe, expect, it } from 'vitest';
import { OriginGuardConfigError, renderValue } from './origin-guard-config.error.js';

describe('renderValue', () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;

  it.each([
    ['a', '"a"'],
    ['x'.repeat(80), `"${'x'.repeat(80)}"`],
    ['x'.repeat(81), `"${'x'.repeat(80)}…"`],
    [function named() {}, '[function named]'],
    [() => {}, '[function anonymous]'],
    [12n, '12n'],
    [Symbol('s'), 'Symbol(s)'],
    [/^a$/i, '/^a$/i'],
    [undefined, 'undefined'],
    [null, 'null'],
    [{ a: 'x'.repeat(80) }, `{"a":"${'x'.repeat(74)}…`],
    [circular, '[object Object]'],
  ])('renders %s as %s', (value, rendered) => {
    expect(renderValue(value)).toBe(rendered);
  });
});

describe('OriginGuardConfigError', () => {
  const problem = (fix: string) => ({
    at: 'allowedOrigins[0]',
    value: '"x"',
    problem: 'is bad',
    fix,
  });

  it('counts one problem, and adds a full stop only where the fix has none', () => {
    expect(new OriginGuardConfigError('Ctx', [problem('do this')]).message).toBe(
      'Ctx: invalid origin policy (1 problem):\n  - allowedOrigins[0] = "x": is bad. Fix: do this.',
    );
    expect(
      new OriginGuardConfigError('Ctx', [problem('really?'), problem('now!'), problem('done.')])
        .message,
    ).toBe(
      [
        'Ctx: invalid origin policy (3 problems):',
        '  - allowedOrigins[0] = "x": is bad. Fix: really?',
        '  - allowedOrigins[0] = "x": is bad. Fix: now!',
        '  - allowedOrigins[0] = "x": is bad. Fix: done.',
      ].join('\n'),
    );
  });
});
