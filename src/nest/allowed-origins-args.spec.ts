import { describe, expect, it } from 'vitest';
import type { ConfigProblem } from '../policy/origin-guard-config.error.js';
import { readAllowedOriginsArgs } from './allowed-origins-args.js';

function read(...args: unknown[]) {
  const problems: ConfigProblem[] = [];
  return { args: readAllowedOriginsArgs(args, '@AllowedOrigins()', problems), problems };
}

describe('readAllowedOriginsArgs', () => {
  it('reads the short form as entries that replace the module origins', () => {
    expect(read('https://a.example', 'https://b.example')).toEqual({
      args: {
        entries: ['https://a.example', 'https://b.example'],
        merge: 'replace',
        mode: undefined,
      },
      problems: [],
    });
  });

  it('reads the long form', () => {
    expect(read({ origins: ['https://a.example'], merge: 'extend', mode: 'report-only' })).toEqual({
      args: { entries: ['https://a.example'], merge: 'extend', mode: 'report-only' },
      problems: [],
    });
  });

  it('names a bad merge and a bad mode, in that order, and falls back to the defaults', () => {
    expect(read({ origins: [], merge: 'append', mode: 'audit' })).toEqual({
      args: { entries: [], merge: 'replace', mode: undefined },
      problems: [
        {
          at: '@AllowedOrigins().merge',
          value: '"append"',
          problem: 'is not a merge mode',
          fix: "use 'replace' (only these origins) or 'extend' (the module's origins and these)",
        },
        {
          at: '@AllowedOrigins().mode',
          value: '"audit"',
          problem: 'is not a mode',
          fix: "use 'enforce' or 'report-only'",
        },
      ],
    });
  });
});
