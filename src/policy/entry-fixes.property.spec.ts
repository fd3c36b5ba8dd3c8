import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allows, suggestedEntries } from '../../test/support/entry-fixes.js';
import { compileOriginEntry, isEntryProblem } from './origin-entry.js';
import { OriginPolicy } from './origin-policy.js';

/**
 * Every `Fix:` that names an entry names one that works (see entry-fixes.spec.ts), for
 * generated origins with generated slips, and for any text made of allowlist pieces.
 */

/** Valid origins of the shapes people configure: https domains, http on localhost. */
const origin = fc.oneof(
  fc
    .tuple(
      fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/), { minLength: 1, maxLength: 3 }),
      fc.constantFrom('com', 'example', 'dev', 'co.uk'),
      fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    )
    .map(([labels, tld, port]) => ({
      scheme: 'https',
      host: `${labels.join('.')}.${tld}`,
      port: port === 443 ? undefined : port,
    })),
  fc
    .option(fc.integer({ min: 1024, max: 65535 }), { nil: undefined })
    .map((port) => ({ scheme: 'http', host: 'localhost', port })),
);

interface Written {
  readonly scheme: string;
  readonly separator: string;
  readonly userinfo: string;
  readonly host: string;
  readonly dot: string;
  readonly port: string;
  readonly suffix: string;
  readonly before: string;
  readonly after: string;
  readonly upper: boolean;
}

/** Slips that keep what was meant recognizable: pasted URLs, env-file text, socket URLs. */
const TYPOS: Record<string, (written: Written) => Written> = {
  'no scheme': (w) => ({ ...w, scheme: '', separator: '' }),
  'broken "://"': (w) => ({ ...w, separator: ':/' }),
  'socket scheme': (w) => ({ ...w, scheme: w.scheme === 'https' ? 'wss' : 'ws' }),
  path: (w) => ({ ...w, suffix: '/chat/room' }),
  'two slashes': (w) => ({ ...w, suffix: '//' }),
  query: (w) => ({ ...w, suffix: '?session=1' }),
  fragment: (w) => ({ ...w, suffix: '#login' }),
  userinfo: (w) => ({ ...w, userinfo: 'alice@' }),
  'trailing dot': (w) => ({ ...w, dot: '.' }),
  'leading zeros': (w) => (w.port === '' ? w : { ...w, port: `00${w.port}` }),
  quotes: (w) => ({ ...w, before: `"${w.before}`, after: `${w.after}"` }),
  'surrounding space': (w) => ({ ...w, before: ` ${w.before}`, after: `${w.after}\t` }),
  'Windows line end': (w) => ({ ...w, after: `${w.after}\r` }),
  'upper case': (w) => ({ ...w, upper: true }),
};

/** One slip of the scheme at most: two of them leave nothing to recognize. */
const SCHEME_TYPOS = ['no scheme', 'broken "://"', 'socket scheme'];
const OTHER_TYPOS = Object.keys(TYPOS).filter((typo) => !SCHEME_TYPOS.includes(typo));

function render(w: Written): string {
  const text = `${w.before}${w.scheme}${w.separator}${w.userinfo}${w.host}${w.dot}${w.port === '' ? '' : `:${w.port}`}${w.suffix}${w.after}`;
  return w.upper ? text.toUpperCase() : text;
}

describe('configuration fixes, for any origin and any slip (fast-check)', () => {
  it('suggest valid entries that allow the origin that was meant', () => {
    fc.assert(
      fc.property(
        origin,
        fc.option(fc.constantFrom(...SCHEME_TYPOS), { nil: undefined }),
        fc.uniqueArray(fc.constantFrom(...OTHER_TYPOS), { minLength: 0, maxLength: 3 }),
        (parts, schemeTypo, otherTypos) => {
          const typos = schemeTypo === undefined ? otherTypos : [schemeTypo, ...otherTypos];
          if (typos.length === 0) return;
          const port = parts.port === undefined ? '' : String(parts.port);
          const meant = `${parts.scheme}://${parts.host}${port === '' ? '' : `:${port}`}`;
          const exact: Written = {
            scheme: parts.scheme,
            separator: '://',
            userinfo: '',
            host: parts.host,
            dot: '',
            port,
            suffix: '',
            before: '',
            after: '',
            upper: false,
          };
          const written = render(typos.reduce((w, typo) => TYPOS[typo]!(w), exact));
          // A forgiven slip (upper case, a trailing slash) is its own fix.
          const compiled = compileOriginEntry(written);
          const fix = isEntryProblem(compiled) ? compiled.fix : '(accepted)';
          const entries = isEntryProblem(compiled) ? suggestedEntries(compiled.fix) : [written];
          const { policy, problems } = OriginPolicy.compile(entries, {}, 'fix');
          expect({ written, fix, problems, allowed: allows(policy, meant) }).toEqual({
            written,
            fix,
            problems: [],
            allowed: true,
          });
        },
      ),
      { numRuns: 3_000 },
    );
  });
});

/** Pieces of what ends up in allowlists, right and wrong. */
const PIECES = [
  'https',
  'http',
  'wss',
  '://',
  ':/',
  ':',
  '/',
  '//',
  '*',
  '*.',
  '.',
  'example',
  'com',
  'app',
  'localhost',
  '@',
  'user',
  '8080',
  '0',
  '00',
  '[',
  ']',
  '[::1]',
  ',',
  ' ',
  '\r',
  '\n',
  '"',
  "'",
  '%61',
  '?',
  '#',
  'null',
  'NULL',
  '-',
  '_',
  '127',
  '1',
  'xn--',
  'ü',
  '\u0000',
];

describe('configuration fixes, for any text (fast-check)', () => {
  it('never name an entry the validator refuses', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PIECES), { maxLength: 10 }).map((p) => p.join('')),
        (written) => {
          const compiled = compileOriginEntry(written);
          fc.pre(isEntryProblem(compiled));
          const { fix, suggestions } = compiled;
          const suggested = suggestedEntries(fix);
          const { problems } = OriginPolicy.compile(suggested, {}, 'fix');
          expect({ fix, suggested: suggested.map(String), problems }).toEqual({
            fix,
            suggested: suggestions.map(String),
            problems: [],
          });
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('never suggest a RegExp the validator refuses', () => {
    const parts = [
      '^',
      '$',
      '|',
      '(',
      ')',
      '(?:',
      'https',
      ':\\/\\/',
      '\\.',
      '.*',
      'a',
      '[a-z]+',
      '\\$',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', 'i', 'g', 'gi', 'm', 'y'),
        (source, flags) => {
          let pattern: RegExp;
          try {
            pattern = new RegExp(source.join(''), flags);
          } catch {
            return;
          }
          const compiled = compileOriginEntry(pattern);
          const suggestions = isEntryProblem(compiled) ? compiled.suggestions : [];
          const refused = suggestions.filter((s) => isEntryProblem(compileOriginEntry(s)));
          expect(refused).toEqual([]);
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
