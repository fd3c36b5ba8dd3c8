import { describe, expect, it } from 'vitest';
import type { OriginDecisionEvent } from '../policy/decision-event.js';
import { describeDecision, quoteForLog } from './decision-log-line.js';

const refused = (
  origin: string,
  overrides: Partial<OriginDecisionEvent> = {},
): OriginDecisionEvent => ({
  stage: 'handshake',
  verdict: 'refused',
  reportOnly: false,
  reason: 'not_allowed',
  origin,
  host: 'app.example.com',
  path: '/chat',
  remoteAddress: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
  gateway: 'ChatGateway',
  matchedEntry: undefined,
  detail: undefined,
  ...overrides,
});

describe('describeDecision', () => {
  it('writes one line per refusal with reason, origin, path, gateway and a fix', () => {
    expect(describeDecision(refused('https://evil.example'))).toBe(
      `Refused WebSocket handshake: reason=not_allowed origin="https://evil.example" path="/chat" gateway=ChatGateway remoteAddress="203.0.113.7" userAgent="Mozilla/5.0 (X11; Linux x86_64)". If this page is yours, add 'https://evil.example' to the allowed origins.`,
    );
    expect(
      describeDecision(
        refused('https://a.com@b', {
          reason: 'malformed',
          detail: 'contains userinfo (user@)',
          path: '/',
          gateway: undefined,
        }),
      ),
    ).toBe(
      'Refused WebSocket handshake: reason=malformed origin="https://a.com@b" detail="contains userinfo (user@)" path="/" gateway=(none) remoteAddress="203.0.113.7" userAgent="Mozilla/5.0 (X11; Linux x86_64)"',
    );
    expect(
      describeDecision(
        refused('x', { reason: 'missing', origin: undefined, path: '/ws', gateway: 'A, B' }),
      ),
    ).toBe(
      'Refused WebSocket handshake: reason=missing origin=(none) path="/ws" gateway=A, B remoteAddress="203.0.113.7" userAgent="Mozilla/5.0 (X11; Linux x86_64)". Non-browser clients send no Origin; set allowMissingOrigin: true to accept them.',
    );
  });

  it('says why a request without Origin was refused although missing origins are allowed', () => {
    expect(
      describeDecision(
        refused('x', {
          reason: 'browser_without_origin',
          origin: undefined,
          detail: 'Sec-Fetch-Site: cross-site, Sec-Fetch-Mode: no-cors',
          path: '/socket.io/',
        }),
      ),
    ).toBe(
      'Refused WebSocket handshake: reason=browser_without_origin origin=(none) detail="Sec-Fetch-Site: cross-site, Sec-Fetch-Mode: no-cors" path="/socket.io/" gateway=ChatGateway remoteAddress="203.0.113.7" userAgent="Mozilla/5.0 (X11; Linux x86_64)". A browser sent this request without Origin (a <script>, <img> or navigation); no allowMissingOrigin setting accepts it.',
    );
    expect(
      describeDecision(refused('x', { reason: 'jsonp', origin: undefined, path: '/socket.io/' })),
    ).toBe(
      'Refused WebSocket handshake: reason=jsonp origin=(none) path="/socket.io/" gateway=ChatGateway remoteAddress="203.0.113.7" userAgent="Mozilla/5.0 (X11; Linux x86_64)". JSONP polling (a j= query parameter) lets a <script> tag on any site use the session; set allowJsonpPolling: true only if legacy clients need it.',
    );
  });

  it('says "would refuse" in report-only mode', () => {
    expect(describeDecision(refused('https://evil.example', { reportOnly: true }))).toBe(
      `Would refuse WebSocket handshake (report-only): reason=not_allowed origin="https://evil.example" path="/chat" gateway=ChatGateway remoteAddress="203.0.113.7" userAgent="Mozilla/5.0 (X11; Linux x86_64)". If this page is yours, add 'https://evil.example' to the allowed origins.`,
    );
  });

  it('reports a predicate that failed open, and nothing for a plain allowed decision', () => {
    const allowed = refused('https://t.example', {
      verdict: 'allowed',
      reason: undefined,
      matchedEntry: '[function tenants]',
    });
    expect(describeDecision(allowed)).toBeUndefined();
    expect(
      describeDecision({
        ...allowed,
        detail: 'predicate [function tenants] timed out after 2000 ms',
      }),
    ).toBe(
      `Allowed WebSocket handshake although a predicate failed (predicates.onFailure: 'allow'): origin="https://t.example" detail="predicate [function tenants] timed out after 2000 ms" path="/chat" gateway=ChatGateway remoteAddress="203.0.113.7" userAgent="Mozilla/5.0 (X11; Linux x86_64)"`,
    );
  });

  it('names the handler for messages', () => {
    expect(
      describeDecision(
        refused('https://app.example.com', {
          stage: 'message',
          path: '',
          gateway: 'ChatGateway.admin',
        }),
      ),
    ).toBe(
      `Refused WebSocket message: reason=not_allowed origin="https://app.example.com" handler=ChatGateway.admin remoteAddress="203.0.113.7" userAgent="Mozilla/5.0 (X11; Linux x86_64)". If this page is yours, add 'https://app.example.com' to the allowed origins.`,
    );
  });

  it('names the client, its User-Agent escaped and truncated, and says when either is unknown', () => {
    expect(
      describeDecision(
        refused('https://evil.example', {
          remoteAddress: '::ffff:10.0.0.9',
          userAgent: `evil"\r\nInjected: yes ${'A'.repeat(200)}`,
        }),
      ),
    ).toBe(
      `Refused WebSocket handshake: reason=not_allowed origin="https://evil.example" path="/chat" gateway=ChatGateway remoteAddress="::ffff:10.0.0.9" userAgent="evil\\"\\x0d\\x0aInjected: yes ${'A'.repeat(99)}"…(221 chars). If this page is yours, add 'https://evil.example' to the allowed origins.`,
    );
    expect(
      describeDecision(
        refused('https://evil.example', { remoteAddress: undefined, userAgent: undefined }),
      ),
    ).toBe(
      `Refused WebSocket handshake: reason=not_allowed origin="https://evil.example" path="/chat" gateway=ChatGateway remoteAddress=(none) userAgent=(none). If this page is yours, add 'https://evil.example' to the allowed origins.`,
    );
  });

  it('escapes control characters and truncates attacker input', () => {
    expect(quoteForLog('a\r\nInjected: line\u0000"\\é\u{1F600}')).toBe(
      '"a\\x0d\\x0aInjected: line\\x00\\"\\\\\\xe9\\u{1f600}"',
    );
    expect(quoteForLog('x'.repeat(8192))).toBe(`"${'x'.repeat(120)}"…(8192 chars)`);
  });
});

describe('quoteForLog', () => {
  it('keeps plain printable ASCII and escapes each other kind of character', () => {
    const quoted = [' !#[]~az09', 'a"b', 'a\\b', '\u001f', '\u007f', 'é', 'ā', ''].map(quoteForLog);
    expect(quoted).toEqual([
      '" !#[]~az09"',
      '"a\\"b"',
      '"a\\\\b"',
      '"\\x1f"',
      '"\\x7f"',
      '"\\xe9"',
      '"\\u{101}"',
      '""',
    ]);
  });

  it('truncates past 120 characters, plain or escaped', () => {
    expect(quoteForLog('x'.repeat(120))).toBe(`"${'x'.repeat(120)}"`);
    expect(quoteForLog('x'.repeat(121))).toBe(`"${'x'.repeat(120)}"…(121 chars)`);
    expect(quoteForLog(`${'x'.repeat(119)}"`)).toBe(`"${'x'.repeat(119)}\\""`);
  });
});
