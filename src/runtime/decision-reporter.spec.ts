import { describe, expect, it } from 'vitest';
import { describeDecision, quoteForLog } from './decision-log-line.js';
import { DecisionReporter } from './decision-reporter.js';
import type { OriginDecisionEvent } from '../policy/decision-event.js';
import { RateLimitedLog } from './rate-limited-log.js';
import { OriginPolicy } from '../policy/origin-policy.js';
import { hostileHeaders } from '../../test/support/decisions.js';
import { decideSync } from '../../test/support/decide-sync.js';

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

function capture() {
  const lines: string[] = [];
  return { lines, logger: { warn: (message: unknown) => void lines.push(String(message)) } };
}

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

describe('DecisionReporter', () => {
  const { policy } = OriginPolicy.compile(['https://app.example.com'], {}, 'origins');
  const checkpoint = { policy, gateways: ['ChatGateway'], path: '/chat' };
  const request = (origin: string) => ({
    rawHeaders: hostileHeaders(origin, 'Mozilla/5.0 (Evil)'),
    socket: { remoteAddress: '10.0.0.2' },
  });
  const decided = (origin: string) => decideSync(policy, request(origin).rawHeaders);
  const refusalLine = (origin: string) =>
    `Refused WebSocket handshake: reason=not_allowed origin="${origin}" path="/chat" gateway=ChatGateway remoteAddress="10.0.0.2" userAgent="Mozilla/5.0 (Evil)". If this page is yours, add '${origin}' to the allowed origins.`;

  it('gives every decision to the hook, and never lets the hook fail a decision', async () => {
    const { lines, logger } = capture();
    const seen: OriginDecisionEvent[] = [];
    const reporter = new DecisionReporter(logger, (event) => {
      seen.push(event);
      if (event.origin === 'https://throws.example') throw new Error('metrics down');
      if (event.origin === 'https://rejects.example')
        return Promise.reject(new Error('queue full'));
      return undefined;
    });
    expect(reporter.listening).toBe(true);
    for (const origin of ['https://throws.example', 'https://rejects.example']) {
      const decision = decided(origin);
      expect(reporter.effective('handshake', decision, request(origin), checkpoint)).toBe(decision);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.map((e) => e.origin)).toEqual([
      'https://throws.example',
      'https://rejects.example',
    ]);
    expect(lines).toEqual([
      refusalLine('https://throws.example'),
      'onDecision hook failed ("metrics down"); the decision stands.',
      refusalLine('https://rejects.example'),
      'onDecision hook failed ("queue full"); the decision stands.',
    ]);
  });

  it('with a hook, logs refusals only; a hook that returns nothing is no failure', () => {
    const { lines, logger } = capture();
    const seen: string[] = [];
    const reporter = new DecisionReporter(logger, (event) => void seen.push(event.verdict));
    const allowed = 'https://app.example.com';
    reporter.effective('handshake', decided(allowed), request(allowed), checkpoint);
    reporter.enforce('message', decided(allowed), request(allowed), checkpoint);
    reporter.enforce(
      'message',
      decided('https://evil.example'),
      request('https://evil.example'),
      checkpoint,
    );
    expect(seen).toEqual(['allowed', 'allowed', 'refused']);
    expect(lines).toEqual([
      refusalLine('https://evil.example')
        .replace('handshake', 'message')
        .replace('path="/chat" gateway=', 'handler='),
    ]);
  });

  it('without a hook, logs nothing for an allowed message and each refusal once', () => {
    const { lines, logger } = capture();
    const reporter = new DecisionReporter(logger, undefined);
    expect(reporter.listening).toBe(false);
    const allowed = 'https://app.example.com';
    const { proceeds } = reporter.enforce(
      'message',
      decided(allowed),
      request(allowed),
      checkpoint,
    );
    expect(proceeds).toBe(true);
    reporter.enforce(
      'handshake',
      decided('https://evil.example'),
      request('https://evil.example'),
      checkpoint,
    );
    expect(lines).toEqual([refusalLine('https://evil.example')]);
  });

  it('counts each refusal past the budget once', () => {
    const { lines, logger } = capture();
    let now = 0;
    const limits = { windowMs: 1000, linesPerWindow: 1 };
    const reporter = new DecisionReporter(logger, undefined, limits, () => now);
    for (const origin of ['https://a.example', 'https://b.example', 'https://c.example']) {
      reporter.effective('handshake', decided(origin), request(origin), checkpoint);
    }
    now = 1000;
    reporter.effective(
      'handshake',
      decided('https://d.example'),
      request('https://d.example'),
      checkpoint,
    );
    expect(lines).toEqual([
      refusalLine('https://a.example'),
      `${refusalLine('https://d.example')} (2 more lines were not logged in the previous 1s)`,
    ]);
  });
});

describe('RateLimitedLog', () => {
  function logWithClock(limits = { windowMs: 1000, linesPerWindow: 3 }) {
    const { lines, logger } = capture();
    let time = 0;
    const log = new RateLimitedLog(logger, limits, () => time);
    return { log, lines, advance: (ms: number) => (time += ms) };
  }

  it('writes an identical line once per window and reports what it held back', () => {
    const { log, lines, advance } = logWithClock();
    for (let i = 0; i < 50; i++) log.warn('same');
    expect(lines).toEqual(['same']);
    advance(1000);
    log.warn('same');
    expect(lines).toEqual(['same', 'same (49 more lines were not logged in the previous 1s)']);
  });

  it('caps distinct lines per window, so endless distinct origins cannot flood the log', () => {
    const { log, lines, advance } = logWithClock();
    for (let i = 0; i < 10_000; i++) log.warn(`line ${i}`);
    expect(lines).toHaveLength(3);
    advance(999);
    log.warn('later');
    expect(lines).toHaveLength(3);
    advance(1);
    log.warn('later');
    expect(lines[3]).toBe('later (9998 more lines were not logged in the previous 1s)');
  });
});
