import { describe, expect, it } from 'vitest';
import { allows, suggestedEntries } from '../../test/support/entry-fixes.js';
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
