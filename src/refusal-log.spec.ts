import { describe, expect, it } from 'vitest';
import { describeRefusal, quoteForLog, type Refusal, RefusalLog } from './refusal-log.js';

const refusal = (claimed: string, url = '/chat'): Refusal => ({
  stage: 'handshake',
  reason: 'not_allowed',
  claimed,
  url,
  gateways: ['ChatGateway'],
});

function logWithClock(limits = { windowMs: 1000, linesPerWindow: 3 }) {
  const lines: string[] = [];
  let time = 0;
  const log = new RefusalLog(
    { warn: (message: unknown) => void lines.push(String(message)) },
    limits,
    () => time,
  );
  return { log, lines, advance: (ms: number) => (time += ms) };
}

describe('RefusalLog', () => {
  it('writes one line per refusal with reason, origin, path and gateway, and a fix', () => {
    expect(describeRefusal(refusal('https://evil.example', '/chat?token=secret#frag'))).toBe(
      `Refused WebSocket handshake: reason=not_allowed origin="https://evil.example" path="/chat" gateway=ChatGateway. If this page is yours, add 'https://evil.example' to the allowed origins.`,
    );
    expect(
      describeRefusal({
        stage: 'handshake',
        reason: 'malformed',
        claimed: 'https://a.com@b',
        detail: 'contains userinfo (user@)',
        url: '/',
        gateways: [],
      }),
    ).toBe(
      'Refused WebSocket handshake: reason=malformed origin="https://a.com@b" detail="contains userinfo (user@)" path="/" gateway=(none)',
    );
    expect(
      describeRefusal({
        stage: 'handshake',
        reason: 'missing',
        claimed: undefined,
        url: '/ws',
        gateways: ['A', 'B'],
      }),
    ).toBe(
      'Refused WebSocket handshake: reason=missing origin=(none) path="/ws" gateway=A, B. Non-browser clients send no Origin; set allowMissingOrigin: true to accept them.',
    );
  });

  it('never logs the query string', () => {
    const line = describeRefusal(refusal('https://evil.example', '/chat?session=abc123'));
    expect(line).not.toContain('abc123');
    expect(line).not.toContain('?');
  });

  it('escapes control characters and truncates attacker input', () => {
    expect(quoteForLog('a\r\nInjected: line\u0000"\\é\u{1F600}')).toBe(
      '"a\\x0d\\x0aInjected: line\\x00\\"\\\\\\xe9\\u{1f600}"',
    );
    const long = quoteForLog('x'.repeat(8192));
    expect(long).toBe(`"${'x'.repeat(120)}"…(8192 chars)`);
  });

  it('logs an identical refusal once per window and reports what it held back', () => {
    const { log, lines, advance } = logWithClock();
    for (let i = 0; i < 50; i++) log.refused(refusal('https://evil.example'));
    expect(lines).toHaveLength(1);
    advance(1000);
    log.refused(refusal('https://evil.example'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/ \(49 more refusals were not logged in the previous 1s\)$/);
  });

  it('caps distinct lines per window, so endless distinct origins cannot flood the log', () => {
    const { log, lines, advance } = logWithClock();
    for (let i = 0; i < 10_000; i++) log.refused(refusal(`https://evil${i}.example`));
    expect(lines).toHaveLength(3);
    advance(999);
    log.refused(refusal('https://other.example'));
    expect(lines).toHaveLength(3);
    advance(1);
    log.refused(refusal('https://other.example'));
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('(9998 more refusals were not logged in the previous 1s)');
  });
});
