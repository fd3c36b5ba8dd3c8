import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { OriginDecisionEvent } from '../policy/decision-event.js';
import { OriginPolicy } from '../policy/origin-policy.js';
import { hostileHeaders } from '../../test/support/decisions.js';
import { DecisionReporter } from './decision-reporter.js';
import { HandshakeChecker } from './handshake-checker.js';

/** A request as the checker reads it; a plain object stands in for Node's `IncomingMessage`. */
function request(origin: string): IncomingMessage {
  return {
    rawHeaders: hostileHeaders(origin, 'test'),
    socket: { remoteAddress: '10.0.0.2' },
  } as unknown as IncomingMessage;
}

function checkerWithEvents() {
  const events: OriginDecisionEvent[] = [];
  const reporter = new DecisionReporter({ warn: () => {} }, (event) => void events.push(event));
  return { checker: new HandshakeChecker(reporter), events };
}

describe('HandshakeChecker', () => {
  it('decides a request once when decideFirst asked a predicate, whoever asks again', async () => {
    const { policy } = OriginPolicy.compile([async () => true], {}, 'origins');
    const checkpoint = { policy, gateways: ['ChatGateway'], path: '/chat' };
    const { checker, events } = checkerWithEvents();
    const req = request('https://tenant.example');
    const first = await checker.decideFirst(req, checkpoint);
    expect(first.allowed).toBe(true);
    expect(checker.decide(req, checkpoint)).toBe(first);
    expect(events).toHaveLength(1);
  });

  it('decides again for another policy, and for a request decideFirst refused', async () => {
    const { policy } = OriginPolicy.compile(['https://app.example.com'], {}, 'origins');
    const { policy: other } = OriginPolicy.compile(['https://app.example.com'], {}, 'origins');
    const { checker, events } = checkerWithEvents();
    const allowed = request('https://app.example.com');
    await checker.decideFirst(allowed, { policy, gateways: [], path: '*' });
    await checker.decide(allowed, { policy: other, gateways: [], path: '*' });
    const refused = request('https://evil.example');
    await checker.decideFirst(refused, { policy, gateways: [], path: '*' });
    await checker.decide(refused, { policy, gateways: [], path: '*' });
    expect(events.map((e) => `${e.verdict} ${e.origin}`)).toEqual([
      'allowed https://app.example.com',
      'allowed https://app.example.com',
      'refused https://evil.example',
      'refused https://evil.example',
    ]);
  });
});
