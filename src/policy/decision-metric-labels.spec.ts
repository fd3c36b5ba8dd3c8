import { describe, expect, it } from 'vitest';
import type { OriginDecisionEvent } from './decision-event.js';
import { decisionMetricLabels } from './decision-metric-labels.js';
import { refusedEvent } from '../../test/support/decisions.js';

/** A refused handshake whose client-chosen fields are all set, so a leak into labels shows. */
const HANDSHAKE = refusedEvent();

const ALLOWED = {
  verdict: 'allowed',
  reason: undefined,
  origin: 'https://app.example.com',
  matchedEntry: 'https://app.example.com',
} as const;

describe('decisionMetricLabels', () => {
  it.each<[string, Partial<OriginDecisionEvent>, ReturnType<typeof decisionMetricLabels>]>([
    ['a refused handshake', {}, { endpoint: '/chat', outcome: 'refused', reason: 'not_allowed' }],
    [
      'a refusal that report-only let through',
      { reportOnly: true, reason: 'missing', origin: undefined },
      { endpoint: '/chat', outcome: 'would_refuse', reason: 'missing' },
    ],
    ['an allowed handshake', ALLOWED, { endpoint: '/chat', outcome: 'allowed', reason: 'none' }],
    [
      'an allowed handshake on a port-wide gateway',
      { ...ALLOWED, path: '*' },
      { endpoint: '*', outcome: 'allowed', reason: 'none' },
    ],
    [
      'a refused message: the guarded handler, not the handshake path',
      { stage: 'message', gateway: 'ChatGateway.admin', reason: 'null' },
      { endpoint: 'ChatGateway.admin', outcome: 'refused', reason: 'null' },
    ],
    [
      'an allowed message',
      { ...ALLOWED, stage: 'message', gateway: 'ChatGateway.admin' },
      { endpoint: 'ChatGateway.admin', outcome: 'allowed', reason: 'none' },
    ],
    [
      'a message whose handler is not known',
      { stage: 'message', gateway: undefined, reportOnly: true },
      { endpoint: '(unknown)', outcome: 'would_refuse', reason: 'not_allowed' },
    ],
    [
      'a handshake without gateways still labelled by its path',
      { gateway: undefined, path: '/socket.io/', reason: 'jsonp' },
      { endpoint: '/socket.io/', outcome: 'refused', reason: 'jsonp' },
    ],
  ])('%s', (_, fields, labels) => {
    // Strict: no other key, so nothing a client chose (origin, address, User-Agent) is a label.
    expect(decisionMetricLabels({ ...HANDSHAKE, ...fields })).toStrictEqual(labels);
  });
});
