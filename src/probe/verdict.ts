import type { Answer } from './http-exchange.js';
import type { RequestKind } from './request-plan.js';
import type { VariantKind } from './variants.js';

/**
 * What the endpoint did with one request:
 * - `accepted`: a `101` to an upgrade; an engine.io open packet (`0{…}`, or JSONP's
 *   `___eio[…]`) to a polling handshake; to a `sid` poll, data or a poll held open (engine.io
 *   answers a live session's poll only when it has something to send).
 * - `refused`: any other HTTP answer (the guard's is `403 Forbidden`), or a connection closed
 *   without one.
 * - `no-answer`: nothing within the timeout; the run cannot tell.
 * - `unreachable`: no connection.
 */
export type RequestOutcome = 'accepted' | 'refused' | 'no-answer' | 'unreachable';

const ENGINE_OPEN_PACKET = /^(?:0\{|___eio\[[0-9]+\]\("0\{)/;

export function outcomeOf(request: RequestKind, answer: Answer): RequestOutcome {
  switch (answer.kind) {
    case 'unreachable':
      return 'unreachable';
    case 'closed':
      return 'refused';
    case 'timeout':
      return request === 'poll+sid' ? 'accepted' : 'no-answer';
    case 'response': {
      const { status, body } = answer.response;
      if (request === 'upgrade' || request === 'upgrade+sid') {
        return status === 101 ? 'accepted' : 'refused';
      }
      if (request === 'poll+sid') return status === 200 ? 'accepted' : 'refused';
      return status === 200 && ENGINE_OPEN_PACKET.test(body) ? 'accepted' : 'refused';
    }
  }
}

/** The STATUS column: the status line, or what happened instead. */
export function statusText(request: RequestKind, answer: Answer, timeoutMs: number): string {
  switch (answer.kind) {
    case 'unreachable':
      return `no connection: ${answer.detail}`;
    case 'closed':
      return `closed: ${answer.detail}`;
    case 'timeout':
      return request === 'poll+sid' ? `held open ${timeoutMs} ms` : `no answer in ${timeoutMs} ms`;
    case 'response': {
      const { status, reason } = answer.response;
      return reason === '' ? String(status) : `${status} ${reason}`;
    }
  }
}

export interface Verdict {
  /** The VERDICT column. */
  readonly text: string;
  /** A hostile request that got through: the run exits 1. */
  readonly failure: boolean;
}

/**
 * What a request's outcome means for its kind of variant. Whether the run as a whole could
 * vouch for the endpoint (every control accepted, every request answered) is the report's call.
 */
export function verdictOf(kind: VariantKind, outcome: RequestOutcome): Verdict {
  if (outcome === 'unreachable') return { text: 'not probed', failure: false };
  if (outcome === 'no-answer') return { text: 'no answer', failure: false };
  const accepted = outcome === 'accepted';
  switch (kind) {
    case 'control':
      return {
        text: accepted ? 'accepted (expected)' : 'NOT ACCEPTED: allowed origin',
        failure: false,
      };
    case 'hostile':
      return accepted
        ? { text: 'ACCEPTED: hostile', failure: true }
        : { text: 'refused', failure: false };
    case 'equivalent':
      return {
        text: accepted ? 'accepted (same origin)' : 'refused (same origin, strict)',
        failure: false,
      };
    case 'native':
      return { text: accepted ? 'allowed (native-client shape)' : 'refused', failure: false };
  }
}
