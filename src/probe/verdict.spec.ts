import { describe, expect, it } from 'vitest';
import type { Answer } from './http-exchange.js';
import { outcomeOf, statusText, verdictOf } from './verdict.js';

const response = (status: number, body = '', reason = 'X'): Answer => ({
  kind: 'response',
  response: { status, reason, headers: new Map(), body },
});

describe('outcomeOf', () => {
  it.each([
    ['upgrade', response(101), 'accepted'],
    ['upgrade', response(403), 'refused'],
    ['upgrade', response(400), 'refused'],
    ['upgrade+sid', response(101), 'accepted'],
    ['polling', response(200, '0{"sid":"a"}'), 'accepted'],
    ['polling', response(200, '___eio[0]("0{\\"sid\\":\\"a\\"}");'), 'accepted'],
    // A 200 that is not an engine.io open packet (an SPA's index.html) opened no session.
    ['polling', response(200, '<!doctype html>'), 'refused'],
    ['polling', response(403), 'refused'],
    ['poll+sid', response(200, '2'), 'accepted'],
    ['poll+sid', { kind: 'timeout' }, 'accepted'],
    ['poll+sid', response(403), 'refused'],
    ['upgrade', { kind: 'timeout' }, 'no-answer'],
    ['polling', { kind: 'closed', detail: 'reset' }, 'refused'],
    ['upgrade', { kind: 'unreachable', detail: 'ECONNREFUSED' }, 'unreachable'],
  ] as const)('%s answered %j: %s', (request, answer, outcome) => {
    expect(outcomeOf(request, answer)).toBe(outcome);
  });
});

describe('statusText', () => {
  it('names what happened', () => {
    expect(statusText('upgrade', response(403, '', 'Forbidden'), 5000)).toBe('403 Forbidden');
    expect(statusText('upgrade', response(403, '', ''), 5000)).toBe('403');
    expect(statusText('poll+sid', { kind: 'timeout' }, 5000)).toBe('held open 5000 ms');
    expect(statusText('upgrade', { kind: 'timeout' }, 5000)).toBe('no answer in 5000 ms');
  });
});

describe('verdictOf', () => {
  it.each([
    ['hostile', 'accepted', 'ACCEPTED: hostile', true],
    ['hostile', 'refused', 'refused', false],
    ['control', 'accepted', 'accepted (expected)', false],
    ['control', 'refused', 'NOT ACCEPTED: allowed origin', false],
    ['equivalent', 'accepted', 'accepted (same origin)', false],
    ['equivalent', 'refused', 'refused (same origin, strict)', false],
    ['native', 'accepted', 'allowed (native-client shape)', false],
    ['hostile', 'no-answer', 'no answer', false],
    ['control', 'unreachable', 'not probed', false],
  ] as const)(
    '%s, %s: %j (fails only a hostile request that was accepted)',
    (kind, outcome, text, failure) => {
      expect(verdictOf(kind, outcome)).toEqual({ text, failure });
    },
  );
});
