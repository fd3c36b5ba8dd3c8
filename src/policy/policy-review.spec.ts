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
