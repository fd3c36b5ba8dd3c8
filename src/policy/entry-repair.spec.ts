import { describe, expect, it } from 'vitest';
import {
  isDraft,
  likelyScheme,
  plainDraft,
  renderSuggestion,
  repairDraft,
} from './entry-repair.js';

describe('likelyScheme: http for what is served locally, https for the rest', () => {
  const hosts = {
    http: [
      'localhost',
      'LOCALHOST:3000',
      'localhost.:3000',
      'localhost..',
      'app.localhost/x',
      'user@localhost:3000',
      'localhost?x=1',
      'localhost#top',
      '[::1]:3000',
      '[fe80::1]',
      '127.0.0.1:8080',
      '192.168.0.10/app',
      '172.16.10.20:3000',
      '10.0.0.1?x=1',
    ],
    https: [
      'example.com',
      'applocalhost',
      'localhost.example',
      'user@example.com',
      '1.2.3',
      '1.2.3.4.5',
      'x.1.2.3.4',
      '1.2.3.4.example',
      '',
    ],
  };
  it.each(Object.entries(hosts).flatMap(([scheme, list]) => list.map((host) => [host, scheme])))(
    '%j → %s',
    (hostAndRest, scheme) => {
      expect(likelyScheme(hostAndRest)).toBe(scheme);
    },
  );
});

describe('renderSuggestion: written as in code', () => {
  it.each<[string | RegExp, string]>([
    ['https://a.example', "'https://a.example'"],
    [/^https:\/\/a\.example$/i, '/^https:\\/\\/a\\.example$/i'],
  ])('%s → %s', (suggestion, written) => {
    expect(renderSuggestion(suggestion)).toBe(written);
  });
});

describe('drafts', () => {
  it('a plain draft suggests nothing and says the same fix either way', () => {
    const draft = plainDraft('is empty', 'remove it');
    expect(isDraft(draft)).toBe(true);
    expect(draft).toMatchObject({ problem: 'is empty', candidates: [], otherwise: 'remove it' });
    expect(draft.phrase(["'https://a.example'"])).toBe('remove it');
  });

  it('a repair draft words its fix with the shown suggestions, comma-separated', () => {
    const draft = repairDraft(
      'has no scheme',
      ['https://example.com', 'https://*.example.com'],
      (s) => `write ${s}`,
      'write the full origin',
    );
    expect(isDraft(draft)).toBe(true);
    expect(draft).toMatchObject({
      problem: 'has no scheme',
      candidates: ['https://example.com', 'https://*.example.com'],
      otherwise: 'write the full origin',
    });
    expect(draft.phrase(["'https://example.com'", "'https://*.example.com'"])).toBe(
      "write 'https://example.com', 'https://*.example.com'",
    );
  });

  it('a compiled entry is no draft', () => {
    expect(isDraft({ kind: 'exact', keys: ['https://a.example'], anyPort: false })).toBe(false);
  });
});
