import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideSync } from '../../test/support/decide-sync.js';
import { renderSuggestion } from './entry-repair.js';
import { compileOriginEntry, isEntryProblem } from './origin-entry.js';
import { OriginPolicy } from './origin-policy.js';
import { resolvePolicySettings } from './policy-settings.js';

/**
 * Every `Fix:` that names an entry names one that works: fed back into the validator, it is
 * accepted, and it allows what the refused entry was meant to allow (and no more than the
 * table says). Suggestions are quoted the way code writes them: strings in single quotes,
 * RegExps as literals; nothing else in a fix is in single quotes.
 */

/** The entries a fix text names. */
function suggestedEntries(fix: string): (string | RegExp)[] {
  const strings = [...fix.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  const regexps = [...fix.matchAll(/(?<=^|\s)\/(\^.*?\$)\/([a-z]*)(?=$|[\s,;)])/g)].map(
    (m) => new RegExp(m[1]!, m[2]),
  );
  return [...strings, ...regexps];
}

/** The refused entry's fix, and the policy its suggestions make (they must all compile). */
function fixOf(entry: unknown): {
  fix: string;
  suggested: (string | RegExp)[];
  policy: OriginPolicy;
} {
  const { problems } = OriginPolicy.compile([entry], {}, 'allowedOrigins');
  expect(problems).toHaveLength(1);
  const { fix } = problems[0]!;
  const suggested = suggestedEntries(fix);
  const compiled = OriginPolicy.compile(suggested, {}, 'the suggestions');
  expect({ fix, problems: compiled.problems }).toEqual({ fix, problems: [] });
  return { fix, suggested, policy: compiled.policy };
}

const allows = (policy: OriginPolicy, origin: string) =>
  decideSync(policy, ['Origin', origin]).allowed;

/** A bad entry, the origins it was meant to allow, and look-alikes the fix must not allow. */
const TABLE: [entry: unknown, meant: string[], notMeant?: string[]][] = [
  ['example.com', ['https://example.com'], ['https://app.example.com']],
  ['.example.com', ['https://example.com', 'https://app.example.com'], ['https://evilexample.com']],
  ['*.example.com', ['https://app.example.com'], ['https://example.com']],
  ['example.com/', ['https://example.com']],
  ['example.com/app', ['https://example.com']],
  ['//example.com', ['https://example.com']],
  ['localhost:3000', ['http://localhost:3000'], ['http://localhost:3001']],
  ['127.0.0.1:8080', ['http://127.0.0.1:8080']],
  ['https:/example.com', ['https://example.com']],
  ['https:example.com', ['https://example.com']],
  ['https//example.com', ['https://example.com']],
  ['HTTP:/LOCALHOST:4200', ['http://localhost:4200']],
  ['https://example.com/path', ['https://example.com']],
  ['https://example.com//', ['https://example.com']],
  ['https://example.com/app/', ['https://example.com']],
  ['https://example.com?x=1', ['https://example.com']],
  ['https://example.com#top', ['https://example.com']],
  ['https://*example.com', ['https://app.example.com'], ['https://evilexample.com']],
  ['https://*.*.example.com', ['https://a.b.example.com'], ['https://example.org']],
  ['https://a.*.example.com', []],
  ['https://example.*', []],
  ['http://*.com', []],
  ['https://*.10.0.0.1', ['https://10.0.0.1']],
  ['https://example.com:99999', ['https://example.com']],
  ['https://example.com:0', ['https://example.com']],
  ['https://example.com:08080', ['https://example.com:8080'], ['https://example.com']],
  ['https://user@example.com', ['https://example.com']],
  ['https://user:secret@example.com:8443', ['https://example.com:8443']],
  ['https://example.com.', ['https://example.com']],
  ['https://example.com.:8443', ['https://example.com:8443']],
  ['https://a.example https://b.example', ['https://a.example', 'https://b.example']],
  [' https://a.example', ['https://a.example']],
  ['https://exa mple.com', ['https://example.com']],
  ['https://a.example,https://b.example', ['https://a.example', 'https://b.example']],
  ['https://a.example:8443\r', ['https://a.example:8443']],
  ['https://ex%61mple.com', ['https://example.com']],
  ['http://127.1:3000', ['http://127.0.0.1:3000']],
  ['"https://a.example"', ['https://a.example']],
  ["'https://a.example/'", ['https://a.example']],
  ['wss://app.example.com', ['https://app.example.com'], ['http://app.example.com']],
  ['ws://localhost:3000', ['http://localhost:3000']],
  ['wss://app.example.com/socket', ['https://app.example.com']],
  ['WSS://*.example.com/', ['https://app.example.com'], ['https://example.com']],
  ['NULL', ['null']],
  ['https://example.com:[8443,x]', ['https://example.com:8443']],
  ['https://example.com:[8443;9443]', ['https://example.com:8443', 'https://example.com:9443']],
  ['https://example.com:[8000-8010]', []],
  ['http://localhost:3000:*', ['http://localhost:3000']],
  ['', []],
  ['https://', []],
  ['https://exa!mple.com', []],
  ['ftp//x', []],
  [42, []],
  [null, []],
  [{ origin: 'https://a.example' }, []],
  [new URL('https://a.example/login'), ['https://a.example']],
  [
    /example\.com/,
    ['https://example.com', 'https://app.example.com'],
    ['https://evilexample.com', 'https://example.com.evil.net'],
  ],
  [
    /example\.com$/,
    ['https://example.com', 'https://a.b.example.com'],
    ['https://evilexample.com'],
  ],
  [/\.example\.com$/, ['https://app.example.com'], ['https://example.com', 'https://evil.com']],
  [/.*\.example\.com/, ['https://app.example.com'], ['https://example.com']],
  [/^https:\/\/a\.com/, ['https://a.com'], ['https://a.com.evil.net']],
  [/https:\/\/a\.com$/, ['https://a.com'], ['https://evil.net/https://a.com']],
  [/^https:\/\/a\.com$/g, ['https://a.com']],
  [
    /example\.com/gi,
    ['https://EXAMPLE.com', 'https://app.example.com'],
    ['https://evilexample.com'],
  ],
  [
    /^https:\/\/a\.com|https:\/\/b\.com$/,
    ['https://a.com', 'https://b.com'],
    ['https://a.com.evil.net', 'https://evil.net.b.com'],
  ],
  [/^https:\/\/a\.com$|^https:\/\/b\.com$/, ['https://a.com', 'https://b.com']],
  [/a\.example|b\.example/, ['https://a.example', 'https://b.example'], ['https://a.example.evil']],
];

describe('configuration fixes are entries that work', () => {
  it.each(TABLE)('%j', (entry, meant, notMeant = []) => {
    const { fix, suggested, policy } = fixOf(entry);
    const verdicts = (origins: string[]) =>
      origins.map((origin) => [origin, allows(policy, origin)]);
    expect({
      fix,
      suggests: suggested.length > 0,
      meant: verdicts(meant),
      notMeant: verdicts(notMeant),
    }).toEqual({
      fix,
      suggests: meant.length > 0,
      meant: meant.map((origin) => [origin, true]),
      notMeant: notMeant.map((origin) => [origin, false]),
    });
  });

  it('quotes exactly the suggestions the validator made, normalized', () => {
    for (const [entry] of TABLE) {
      const compiled = compileOriginEntry(entry);
      if (!isEntryProblem(compiled)) throw new Error(`${String(entry)} was accepted`);
      expect(suggestedEntries(compiled.fix).map(String)).toEqual(compiled.suggestions.map(String));
      for (const suggestion of compiled.suggestions) {
        expect(compiled.fix).toContain(renderSuggestion(suggestion));
      }
    }
    expect(fixOf('HTTPS://Example.COM:443/x').suggested).toEqual(['https://example.com']);
  });

  it('repairs a bare string where the list belongs into the list it spells', () => {
    const { problems } = OriginPolicy.compile(
      'https://a.example, b.example/,',
      {},
      'allowedOrigins',
    );
    expect(problems.map((p) => p.fix)).toEqual([
      "split it into entries, e.g. with parseOriginList(text): ['https://a.example', 'https://b.example']",
    ]);
    const suggested = suggestedEntries(problems[0]!.fix);
    expect(OriginPolicy.compile(suggested, {}, 'fix').problems).toEqual([]);
  });

  it('names the Host a sameOrigin host that was written as an origin meant', () => {
    const { problems } = resolvePolicySettings({
      sameOrigin: { hosts: ['https://app.example.com/'] },
    });
    expect(problems.map((p) => p.fix)).toEqual([
      "write hosts as they appear in the Host header, without the scheme: 'app.example.com'",
    ]);
    const hosts = suggestedEntries(problems[0]!.fix) as string[];
    expect(resolvePolicySettings({ sameOrigin: { hosts } }).problems).toEqual([]);
  });
});

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
