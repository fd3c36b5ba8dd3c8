import { describe, expect, it } from 'vitest';
import { OriginPolicy } from './origin-policy.js';
import { reviewPolicy, summarizePolicy } from './policy-review.js';
import { resolvePolicySettings } from './policy-settings.js';

function compile(list: unknown[], options: Record<string, unknown> = {}): OriginPolicy {
  const { settings } = resolvePolicySettings(options);
  const { policy, problems } = OriginPolicy.compile(list, settings, 'allowedOrigins');
  expect(problems).toEqual([]);
  return policy;
}

describe('policy review', () => {
  it('summarizes a policy in one line: settings, then each entry as normalized, with its kind', () => {
    function isTenant() {
      return true;
    }
    expect(
      summarizePolicy(
        compile([
          'HTTPS://App.Example.com:443/',
          'http://localhost:*',
          'https://example.com:[8443,443]',
          'https://*.example.com',
          'https://*.example.org:*',
          'https://bücher.example',
          /^https:\/\/pr-\d+\.example\.dev$/,
          isTenant,
        ]),
      ),
    ).toBe(
      'mode=enforce, missing Origin allowed, null refused, 8 entries: ' +
        "'https://app.example.com' (exact), 'http://localhost:*' (any port), " +
        "'https://example.com:[8443,443]' (port list), 'https://*.example.com' (wildcard), " +
        "'https://*.example.org:*' (wildcard), 'https://xn--bcher-kva.example' (exact), " +
        '/^https:\\/\\/pr-\\d+\\.example\\.dev$/ (RegExp), [function isTenant] (predicate)',
    );
    expect(
      summarizePolicy(
        compile(['null'], {
          allowMissingOrigin: false,
          mode: 'report-only',
          sameOrigin: { hosts: ['app.example.com'] },
        }),
      ),
    ).toBe(
      "mode=report-only, missing Origin refused, null allowed, same-origin for app.example.com, 1 entry: 'null' (opaque origin)",
    );
    expect(summarizePolicy(compile(['*']))).toBe(
      "mode=enforce, missing Origin allowed, null allowed, 1 entry: '*' (every origin)",
    );
    expect(summarizePolicy(compile([]))).toBe(
      'mode=enforce, missing Origin allowed, null refused, no entries',
    );
  });

  it('names the OriginsProvider an entry came from', () => {
    expect(
      summarizePolicy(compile(['https://a.example', 'https://t1.example']), [
        undefined,
        'TenantOrigins',
      ]),
    ).toBe(
      "mode=enforce, missing Origin allowed, null refused, 2 entries: 'https://a.example' (exact), 'https://t1.example' (exact, from TenantOrigins)",
    );
  });

  it('shows the first entries of a long list and counts the rest by kind', () => {
    const list = [
      ...Array.from({ length: 9_998 }, (_, i) => `https://t${i}.example.com`),
      'https://*.a.example',
      'https://*.b.example',
    ];
    const shown = Array.from({ length: 8 }, (_, i) => `'https://t${i}.example.com' (exact)`);
    expect(summarizePolicy(compile(list))).toBe(
      'mode=enforce, missing Origin allowed, null refused, 10000 entries (9998 exact, 2 wildcard), ' +
        `the first 8: ${shown.join(', ')}, and 9992 more`,
    );
  });

  it('cuts an entry too long to read', () => {
    const long = new RegExp(`^https:\\/\\/(?:${'a|'.repeat(100)}b)\\.example$`);
    const line = summarizePolicy(compile([long]));
    expect(line).toBe(
      `mode=enforce, missing Origin allowed, null refused, 1 entry: ${String(long).slice(0, 100)}… (RegExp)`,
    );
  });

  it('has nothing to say about a plain list', () => {
    expect(
      reviewPolicy(
        compile(['https://app.example.com', 'https://*.example.com', 'http://localhost:4200']),
      ),
    ).toEqual([]);
  });

  it('warns about risky but valid configurations', () => {
    const broken = () => true;
    expect(
      reviewPolicy(
        compile(
          [
            'null',
            'https://app.example.com',
            'http://app.example.com',
            'https://*.github.io',
            'https://*.co.uk',
            broken,
          ],
          { mode: 'report-only', sameOrigin: { hosts: 'any' }, predicates: { onFailure: 'allow' } },
        ),
      ),
    ).toEqual([
      "lists 'null': sandboxed iframes and file:/data: pages of any site send Origin: null too. Remove it unless you must serve such pages.",
      'lists both http:// and https:// for app.example.com: a page served over plain http can be altered in transit. Drop the http:// entry unless the app is served over http.',
      `has 'https://*.github.io', a wildcard over the public suffix "github.io": anyone can register a site under it. Narrow it to your own domain.`,
      `has 'https://*.co.uk', a wildcard over the public suffix "co.uk": anyone can register a site under it. Narrow it to your own domain.`,
      "is in mode 'report-only': refusals are logged, not enforced. Switch to 'enforce' once the logs show only expected origins.",
      "allows same-origin requests for any Host (sameOrigin.hosts: 'any'): a DNS-rebinding page is then same-origin. List the app's hosts instead.",
      "lets origins through when a predicate fails (predicates.onFailure: 'allow').",
    ]);
    expect(reviewPolicy(compile(['*']))).toEqual([
      "contains '*': pages on every site may open WebSockets here, so Cross-Site WebSocket Hijacking is not prevented. List your origins instead.",
    ]);
    expect(reviewPolicy(compile([]))).toEqual([
      'is empty: every browser handshake will be refused with 403.',
    ]);
  });
});

describe('policy review: the details', () => {
  it('names each kind of entry in the summary', () => {
    expect(summarizePolicy(compile(['*']))).toBe(
      "mode=enforce, missing Origin allowed, null allowed, 1 entry: '*' (every origin)",
    );
    expect(summarizePolicy(compile([]))).toBe(
      'mode=enforce, missing Origin allowed, null refused, no entries',
    );
    expect(summarizePolicy(compile(['*', 'https://a.example']))).toBe(
      "mode=enforce, missing Origin allowed, null allowed, 2 entries: '*' (every origin), 'https://a.example' (exact)",
    );
    expect(
      summarizePolicy(compile([], { sameOrigin: { hosts: ['a.example', 'b.example:8443'] } })),
    ).toBe(
      'mode=enforce, missing Origin allowed, null refused, same-origin for a.example, b.example:8443, no entries',
    );
    expect(summarizePolicy(compile([], { sameOrigin: { hosts: 'any' } }))).toBe(
      'mode=enforce, missing Origin allowed, null refused, same-origin for any host, no entries',
    );
  });

  it('does not call a list empty when same-origin requests are allowed', () => {
    expect(reviewPolicy(compile([], { sameOrigin: { hosts: ['app.example.com'] } }))).toEqual([]);
  });

  it('warns about predicates failing open only when there is a predicate', () => {
    const predicate = () => true;
    const failOpen = "lets origins through when a predicate fails (predicates.onFailure: 'allow').";
    expect(reviewPolicy(compile([predicate], { predicates: { onFailure: 'allow' } }))).toEqual([
      failOpen,
    ]);
    expect(
      reviewPolicy(compile(['https://a.example'], { predicates: { onFailure: 'allow' } })),
    ).toEqual([]);
    expect(reviewPolicy(compile([predicate]))).toEqual([]);
  });

  it('compares hosts without ports and wildcards with wildcards over http and https', () => {
    const both = (host: string) =>
      `lists both http:// and https:// for ${host}: a page served over plain http can be altered in transit. Drop the http:// entry unless the app is served over http.`;
    expect(reviewPolicy(compile(['http://a.example:8080', 'https://a.example:8443']))).toEqual([
      both('a.example'),
    ]);
    expect(reviewPolicy(compile(['http://*.a.example', 'https://*.a.example']))).toEqual([
      both('*.a.example'),
    ]);
    expect(reviewPolicy(compile(['http://a.example', 'https://*.a.example']))).toEqual([]);
    expect(reviewPolicy(compile(['capacitor://localhost', 'https://localhost']))).toEqual([]);
    expect(reviewPolicy(compile(['https://*.example.com:8443']))).toEqual([]);
  });
});
