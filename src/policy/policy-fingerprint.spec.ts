import { describe, expect, it } from 'vitest';
import { OriginPolicy } from './origin-policy.js';
import type { OriginPolicySettings } from './policy-settings.js';

function fingerprint(list: unknown[], settings: Partial<OriginPolicySettings> = {}): string {
  const { policy, problems } = OriginPolicy.compile(list, settings, 'allowedOrigins');
  expect(problems).toEqual([]);
  return policy.fingerprint;
}

describe('policy fingerprints', () => {
  it('tell wildcard entries apart by their domain', () => {
    expect(fingerprint(['https://*.a.example'])).not.toBe(fingerprint(['https://*.b.example']));
    expect(fingerprint(['https://*.a.example'])).not.toBe(fingerprint(['https://a.example']));
  });

  it('tell the same-origin settings apart', () => {
    const hosts = (...names: string[]) => ({ sameOrigin: { hosts: new Set(names) } });
    const none = fingerprint([]);
    expect(fingerprint([], hosts('a.example'))).not.toBe(none);
    expect(fingerprint([], { sameOrigin: { hosts: 'any' } })).not.toBe(none);
    expect(fingerprint([], hosts('a.example'))).not.toBe(fingerprint([], hosts('b.example')));
    expect(fingerprint([], { sameOrigin: { hosts: 'any' } })).not.toBe(
      fingerprint([], hosts('a', 'n', 'y')),
    );
    expect(fingerprint([], hosts('b.example', 'a.example'))).toBe(
      fingerprint([], hosts('a.example', 'b.example')),
    );
  });
});
