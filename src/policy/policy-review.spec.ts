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
  it('summarizes a policy in one line', () => {
    expect(
      summarizePolicy(compile(['https://a.example', 'https://*.example.com', /^https:\/\/x\.io$/])),
    ).toBe(
      'mode=enforce, 3 entries (1 exact, 1 wildcard, 1 regexp), missing Origin allowed, null refused',
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
      "mode=report-only, 1 entry (1 'null'), missing Origin refused, null allowed, same-origin for app.example.com",
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
      "mode=enforce, 1 entry (1 '*'), missing Origin allowed, null allowed",
    );
    expect(summarizePolicy(compile([]))).toBe(
      'mode=enforce, 0 entries, missing Origin allowed, null refused',
    );
    expect(summarizePolicy(compile(['*', 'https://a.example']))).toBe(
      "mode=enforce, 2 entries (1 '*', 1 exact), missing Origin allowed, null allowed",
    );
    expect(
      summarizePolicy(compile([], { sameOrigin: { hosts: ['a.example', 'b.example:8443'] } })),
    ).toBe(
      'mode=enforce, 0 entries, missing Origin allowed, null refused, same-origin for a.example, b.example:8443',
    );
    expect(summarizePolicy(compile([], { sameOrigin: { hosts: 'any' } }))).toBe(
      'mode=enforce, 0 entries, missing Origin allowed, null refused, same-origin for any host',
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
