import { describe, expect, it } from 'vitest';
import { DecisionReporter } from './decision-reporter.js';
import type { OriginDecisionEvent } from '../policy/decision-event.js';
import { OriginPolicy } from '../policy/origin-policy.js';
import { hostileHeaders } from '../../test/support/decisions.js';
import { decideSync } from '../../test/support/decide-sync.js';

function capture() {
  const lines: string[] = [];
  return { lines, logger: { warn: (message: unknown) => void lines.push(String(message)) } };
}

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
