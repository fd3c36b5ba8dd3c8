import { beforeEach, describe, expect, it } from 'vitest';
import type { HandshakeRequest } from './handshake-request.js';
import type { OriginDecision } from './origin-decision.js';
import { OriginPolicy } from './origin-policy.js';
import { resolvePolicySettings } from './policy-settings.js';

function compile(options: Record<string, unknown>): OriginPolicy {
  const { settings, problems } = resolvePolicySettings(options);
  expect(problems).toEqual([]);
  return OriginPolicy.compile([], settings, 'allowedOrigins').policy;
}

function request(
  headers: [string, string][],
  socket: { remoteAddress?: string; encrypted?: boolean } = { remoteAddress: '203.0.113.9' },
): HandshakeRequest {
  return { rawHeaders: headers.flat(), url: '/ws', socket };
}

/** A request with these two header lines, from the default peer unless `socket` says otherwise. */
function hostAndOrigin(
  host: string,
  origin: string,
  socket?: { remoteAddress?: string; encrypted?: boolean },
): HandshakeRequest {
  return request(
    [
      ['Host', host],
      ['Origin', origin],
    ],
    socket,
  );
}

function decide(policy: OriginPolicy, req: HandshakeRequest): OriginDecision {
  const decision = policy.evaluate(req, { gateways: [] });
  if (decision instanceof Promise) throw new Error('unexpectedly asynchronous');
  return decision;
}

describe('sameOrigin', () => {
  let policy: OriginPolicy;
  beforeEach(() => {
    policy = compile({ sameOrigin: { hosts: ['app.example.com', 'localhost:3000'] } });
  });

  it('allows an Origin equal to the scheme and Host of the request', () => {
    expect(decide(policy, hostAndOrigin('localhost:3000', 'http://localhost:3000'))).toEqual({
      allowed: true,
      origin: 'http://localhost:3000',
      matchedEntry: 'sameOrigin',
    });
    expect(
      decide(
        policy,
        hostAndOrigin('app.example.com', 'https://app.example.com', { encrypted: true }),
      ),
    ).toMatchObject({ allowed: true, matchedEntry: 'sameOrigin' });
  });

  it('refuses a Host outside the configured list (DNS rebinding)', () => {
    // rebinding: the attacker's name resolves to this server, so Host and Origin agree
    expect(
      decide(policy, hostAndOrigin('rebind.attacker.example', 'http://rebind.attacker.example')),
    ).toMatchObject({ allowed: false, reason: 'not_allowed' });
  });

  it('refuses another scheme or port than the request', () => {
    expect(
      decide(policy, hostAndOrigin('app.example.com', 'https://app.example.com')),
    ).toMatchObject({
      allowed: false,
    });
    expect(decide(policy, hostAndOrigin('localhost:3000', 'http://localhost:3001'))).toMatchObject({
      allowed: false,
    });
  });

  it("applies to any Host with hosts: 'any' (an explicit opt-out)", () => {
    const open = compile({ sameOrigin: { hosts: 'any' } });
    expect(decide(open, hostAndOrigin('rebind.example', 'http://rebind.example'))).toMatchObject({
      allowed: true,
    });
  });

  it('refuses when the Host header is missing or malformed', () => {
    expect(decide(policy, request([['Origin', 'http://localhost:3000']]))).toMatchObject({
      allowed: false,
    });
    expect(
      decide(policy, hostAndOrigin('localhost:3000@evil', 'http://localhost:3000')),
    ).toMatchObject({ allowed: false });
  });
});

describe('forwarded headers', () => {
  const forwarded: [string, string][] = [
    ['Host', 'internal:8080'],
    ['X-Forwarded-Proto', 'https'],
    ['X-Forwarded-Host', 'app.example.com'],
    ['X-Forwarded-For', '198.51.100.7'],
    ['Origin', 'https://app.example.com'],
  ];
  const settings = { sameOrigin: { hosts: ['app.example.com'] } };

  it('are ignored without trustProxy: spoofed values never change a decision', () => {
    const policy = compile(settings);
    expect(decide(policy, request(forwarded, { remoteAddress: '10.0.0.2' }))).toMatchObject({
      allowed: false,
    });
  });

  it('are ignored from a peer that is not a trusted proxy', () => {
    const policy = compile({ ...settings, trustProxy: ['10.0.0.0/8'] });
    expect(decide(policy, request(forwarded, { remoteAddress: '203.0.113.50' }))).toMatchObject({
      allowed: false,
    });
  });

  it('are used from a trusted proxy (CIDR list)', () => {
    const policy = compile({ ...settings, trustProxy: ['10.0.0.0/8'] });
    expect(decide(policy, request(forwarded, { remoteAddress: '10.0.0.2' }))).toMatchObject({
      allowed: true,
      matchedEntry: 'sameOrigin',
    });
  });

  it('are used from a trusted proxy (hop count), mapping wss to https', () => {
    const policy = compile({ ...settings, trustProxy: 1 });
    const wss: [string, string][] = forwarded.map(([n, v]) => [
      n,
      n === 'X-Forwarded-Proto' ? 'wss' : v,
    ]);
    expect(decide(policy, request(wss))).toMatchObject({ allowed: true });
  });

  it('believe the value the outermost trusted proxy wrote, not what the client prepended', () => {
    const policy = compile({ ...settings, trustProxy: 1 });
    // the client sent X-Forwarded-Host: app.example.com; the proxy appended the real host
    const spoofed: [string, string][] = [
      ['Host', 'evil.example'],
      ['X-Forwarded-Host', 'app.example.com, evil.example'],
      ['X-Forwarded-Proto', 'https, https'],
      ['Origin', 'https://app.example.com'],
    ];
    expect(decide(policy, request(spoofed))).toMatchObject({ allowed: false });
  });

  it('read RFC 7239 Forwarded in preference to X-Forwarded-*', () => {
    const policy = compile({ ...settings, trustProxy: ['loopback'] });
    const headers: [string, string][] = [
      ['Host', 'internal'],
      ['Forwarded', 'for=198.51.100.7;proto=https;host="app.example.com"'],
      ['X-Forwarded-Host', 'other.example'],
      ['Origin', 'https://app.example.com'],
    ];
    expect(decide(policy, request(headers, { remoteAddress: '127.0.0.1' }))).toMatchObject({
      allowed: true,
    });
    expect(decide(policy, request(headers, { remoteAddress: '192.0.2.1' }))).toMatchObject({
      allowed: false,
    });
  });

  it('stop at the first untrusted hop of X-Forwarded-For', () => {
    const policy = compile({ ...settings, trustProxy: ['10.0.0.0/8'] });
    // peer 10.0.0.2 is trusted, the next hop 203.0.113.1 is not: one trusted proxy, so the
    // last Host value (written by 10.0.0.2) counts
    const headers: [string, string][] = [
      ['Host', 'internal'],
      ['X-Forwarded-For', '198.51.100.7, 203.0.113.1'],
      ['X-Forwarded-Host', 'app.example.com, evil.example'],
      ['X-Forwarded-Proto', 'https'],
      ['Origin', 'https://app.example.com'],
    ];
    expect(decide(policy, request(headers, { remoteAddress: '10.0.0.2' }))).toMatchObject({
      allowed: false,
    });
  });
});

describe('policy settings validation', () => {
  it.each([
    [{ mode: 'audit' }, `mode = "audit": is not a mode. Fix: use 'enforce' or 'report-only'.`],
    [
      { sameOrigin: true },
      `sameOrigin = true: does not say which hosts are the app's own. Fix: use { hosts: ['app.example.com'] } (DNS-rebinding defense), or { hosts: 'any' } to opt out of it.`,
    ],
    [
      { sameOrigin: { hosts: ['https://app.example.com'] } },
      `sameOrigin = {"hosts":["https://app.example.com"]}: has the host "https://app.example.com", which is not a host name or host:port. Fix: write hosts as they appear in the Host header, without the scheme: 'app.example.com'.`,
    ],
    [
      { trustProxy: true },
      `trustProxy = true: is not a hop count or a list of proxy addresses. Fix: use a number of proxies (e.g. 1) or addresses/CIDRs (e.g. ['loopback', '10.0.0.0/8']).`,
    ],
    [
      { trustProxy: ['10.0.0.0/99'] },
      `trustProxy = ["10.0.0.0/99"]: is not understood (invalid range on address: 10.0.0.0/99). Fix: use addresses or CIDRs such as '10.0.0.0/8', or 'loopback'.`,
    ],
    [
      { predicates: { timeoutMs: 0, onFailure: 'ignore', ttl: 5 } },
      [
        `predicates.timeoutMs = 0: is not a whole number of at least 1. Fix: use a positive integer (default 2000).`,
        `predicates.onFailure = "ignore": is not a failure policy. Fix: use 'refuse' (fail closed) or 'allow' (fail open).`,
        `predicates.ttl = 5: is not a predicate setting. Fix: remove it (known: timeoutMs, cacheTtlMs, cacheMaxEntries, onFailure).`,
      ],
    ],
  ])('%j', (options, expected) => {
    const { problems } = resolvePolicySettings(options);
    expect(problems.map((p) => `${p.at} = ${p.value}: ${p.problem}. Fix: ${p.fix}.`)).toEqual(
      Array.isArray(expected) ? expected : [expected],
    );
  });
});
