import { describe, expect, it } from 'vitest';
import type { HandshakeRequest } from './handshake-request.js';
import { compileTrustProxy, requestOrigin } from './request-origin.js';

const PROXY = '10.0.0.1';

/** `null`: a socket whose peer address is unknown. */
function request(headers: [string, string][], remoteAddress: string | null = PROXY) {
  return {
    rawHeaders: headers.flat(),
    socket: remoteAddress === null ? {} : { remoteAddress },
  } satisfies HandshakeRequest;
}

const HOST: [string, string] = ['Host', 'app.example.com'];

describe('compileTrustProxy', () => {
  it('trusts as many hops as a count says', () => {
    const trust = compileTrustProxy(1);
    expect(trust('203.0.113.9', 0)).toBe(true);
    expect(trust('203.0.113.9', 1)).toBe(false);
    expect(compileTrustProxy(0)('127.0.0.1', 0)).toBe(false);
  });

  it('reads a comma-separated list of addresses, and an array', () => {
    const listed = compileTrustProxy('loopback , 10.0.0.0/8');
    expect(listed('127.0.0.1', 0)).toBe(true);
    expect(listed('10.1.2.3', 3)).toBe(true);
    expect(listed('192.0.2.1', 0)).toBe(false);
    const array = compileTrustProxy(['10.0.0.0/8']);
    expect(array('10.1.2.3', 0)).toBe(true);
    expect(array('127.0.0.1', 0)).toBe(false);
  });
});

describe('requestOrigin', () => {
  it("is the connection's scheme and the Host header, lower-cased", () => {
    expect(requestOrigin(request([['Host', 'App.Example.com:8443']]), undefined)).toEqual({
      origin: 'http://app.example.com:8443',
      authority: 'app.example.com:8443',
    });
    expect(
      requestOrigin(
        { rawHeaders: ['Host', 'app.example.com:443'], socket: { encrypted: true } },
        undefined,
      ),
    ).toEqual({ origin: 'https://app.example.com', authority: 'app.example.com:443' });
  });

  it('is undefined without a Host, or with a Host that is no authority', () => {
    expect(requestOrigin(request([]), undefined)).toBeUndefined();
    expect(requestOrigin(request([['Host', 'a b']]), undefined)).toBeUndefined();
    expect(requestOrigin(request([['Host', 'app.example.com/x']]), undefined)).toBeUndefined();
  });

  it('ignores forwarded headers from an untrusted or unknown peer', () => {
    const forged = request([
      HOST,
      ['X-Forwarded-Host', 'evil.example'],
      ['X-Forwarded-Proto', 'https'],
    ]);
    expect(requestOrigin(forged, undefined)?.origin).toBe('http://app.example.com');
    expect(requestOrigin(forged, compileTrustProxy(['192.0.2.0/24']))?.origin).toBe(
      'http://app.example.com',
    );
    const noPeer = request([HOST, ['X-Forwarded-Host', 'evil.example']], null);
    expect(requestOrigin(noPeer, compileTrustProxy(1))?.origin).toBe('http://app.example.com');
  });

  it.each([
    ['https', 'https://app.example.com'],
    ['HTTPS', 'https://app.example.com'],
    ['wss', 'https://app.example.com'],
    ['ws', 'http://app.example.com'],
    ['http', 'http://app.example.com'],
  ])('maps X-Forwarded-Proto %s to %s', (proto, origin) => {
    const req = request([HOST, ['X-Forwarded-Proto', proto]]);
    expect(requestOrigin(req, compileTrustProxy(1))?.origin).toBe(origin);
  });

  it('has no origin for a forwarded scheme other than http(s)', () => {
    const req = request([HOST, ['X-Forwarded-Proto', 'ftp']]);
    expect(requestOrigin(req, compileTrustProxy(1))).toBeUndefined();
  });

  it('believes the value written by the outermost trusted proxy', () => {
    const trust = compileTrustProxy(['10.0.0.0/8']);
    // Two trusted proxies (the peer and the one it names): the second value from the end.
    const twoHops = request([
      HOST,
      ['X-Forwarded-For', '203.0.113.9, 10.0.0.2'],
      ['X-Forwarded-Host', 'forged.example, a.example, b.example'],
    ]);
    expect(requestOrigin(twoHops, trust)?.authority).toBe('a.example');
    // Repeated header lines are one list; the last entry is the trusted peer's.
    const lines = request([
      HOST,
      ['X-Forwarded-Host', 'forged.example'],
      ['X-Forwarded-Host', 'b.example'],
    ]);
    expect(requestOrigin(lines, trust)?.authority).toBe('b.example');
    // A hop count larger than the chain trusts only the hops that exist.
    const short = request([HOST, ['X-Forwarded-Host', 'a.example, b.example']]);
    expect(requestOrigin(short, compileTrustProxy(10))?.authority).toBe('b.example');
  });

  it('reads RFC 7239 Forwarded before X-Forwarded-*', () => {
    const trust = compileTrustProxy(1);
    const req = request([
      HOST,
      ['X-Forwarded-Host', 'x.example'],
      ['Forwarded', 'for=203.0.113.9; Host = "a.example" ;PROTO= https'],
    ]);
    expect(requestOrigin(req, trust)).toEqual({
      origin: 'https://a.example',
      authority: 'a.example',
    });
  });

  it.each([
    ['for=203.0.113.9;hostX', 'http://app.example.com'],
    ['for=203.0.113.9;=evil.example', 'http://app.example.com'],
    ['host=x"a.example"', undefined],
    ['host="a.example"x', undefined],
  ])('reads only well-formed Forwarded fields: %s', (forwarded, origin) => {
    const req = request([HOST, ['Forwarded', forwarded]]);
    expect(requestOrigin(req, compileTrustProxy(1))?.origin).toBe(origin);
  });
});
