import { describe, expect, it } from 'vitest';
import { OriginPolicy } from '../policy/origin-policy.js';
import { hostileHeaders } from '../../test/support/decisions.js';
import { DecisionReporter } from './decision-reporter.js';
import { LastLine } from './last-line.js';

describe('LastLine', () => {
  it('builds a line again whenever any input differs from the last ones, by identity', () => {
    const last = new LastLine();
    const built: string[] = [];
    const line = (inputs: unknown[], text: string) =>
      last.line(inputs, () => {
        built.push(text);
        return text;
      });
    const decision = {};
    expect(line([decision, 'a'], 'one')).toBe('one');
    expect(line([decision, 'a'], 'not built')).toBe('one');
    expect(line([{}, 'a'], 'two')).toBe('two');
    expect(line([{}, 'a', 'b'], 'three')).toBe('three');
    expect(line([{}, 'a'], 'four')).toBe('four');
    expect(line([decision, 'a', 'b'], 'five')).toBe('five');
    expect(line([decision, 'a'], 'six')).toBe('six');
    expect(built).toEqual(['one', 'two', 'three', 'four', 'five', 'six']);
  });
});

describe('DecisionReporter with repeated refusals', () => {
  const { policy } = OriginPolicy.compile(['https://app.example.com'], {}, 'origins');
  const request = (peer: string, userAgent: string) => ({
    rawHeaders: hostileHeaders('https://evil.example', userAgent),
    socket: { remoteAddress: peer },
  });
  const line = (peer: string, userAgent: string) =>
    `Refused WebSocket handshake: reason=not_allowed origin="https://evil.example" path="/chat" gateway=ChatGateway remoteAddress="${peer}" userAgent="${userAgent}". If this page is yours, add 'https://evil.example' to the allowed origins.`;

  it('writes each distinct line once per window, whoever came last, and counts the repeats', () => {
    const lines: string[] = [];
    let now = 0;
    const reporter = new DecisionReporter(
      { warn: (m) => lines.push(m) },
      undefined,
      undefined,
      () => now,
    );
    const checkpoint = { policy, gateways: ['ChatGateway'], path: '/chat' };
    const refuse = (peer: string, userAgent: string) => {
      const req = request(peer, userAgent);
      const decision = policy.evaluate(req, checkpoint);
      if ('then' in decision) throw new Error('synchronous policy');
      reporter.effective('handshake', decision, req, checkpoint);
    };
    refuse('203.0.113.7', 'A');
    refuse('203.0.113.7', 'A');
    refuse('203.0.113.7', 'B');
    refuse('198.51.100.1', 'B');
    refuse('203.0.113.7', 'A');
    expect(lines).toEqual([
      line('203.0.113.7', 'A'),
      line('203.0.113.7', 'B'),
      line('198.51.100.1', 'B'),
    ]);
    now = 60_000;
    refuse('203.0.113.7', 'A');
    expect(lines.at(-1)).toBe(
      `${line('203.0.113.7', 'A')} (2 more lines were not logged in the previous 60s)`,
    );
  });
});
