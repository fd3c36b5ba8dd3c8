import type { ParsedOrigin } from '../policy/serialized-origin.js';
import { type Answer, exchange } from './http-exchange.js';
import { ProbeError } from './probe-error.js';
import type { ProbeTarget } from './probe-target.js';
import { buildReport, controlProblem, type ProbeReport, type ProbeResult } from './report.js';
import { rawRequest, requestBytes, engineTarget } from './request-bytes.js';
import {
  MAX_PROBE_REQUESTS,
  type PlannedRequest,
  planRequests,
  requestCount,
} from './request-plan.js';
import { outcomeOf, type RequestOutcome, statusText, verdictOf } from './verdict.js';
import { deriveVariants, describeSent } from './variants.js';

export interface ProbeSettings {
  /** Exact origins of the pages that may open the socket; the first one also opens `sid` sessions. */
  readonly allowed: readonly ParsedOrigin[];
  readonly browserOnly: boolean;
  readonly cookie: string | undefined;
  readonly timeoutMs: number;
  readonly insecure: boolean;
  /** Connections open at once. */
  readonly concurrency: number;
}

/**
 * Sends every planned request to the one target and judges the answers. The allowed origins
 * go first, one at a time: if one is not accepted, nothing else is sent. A connection that
 * cannot be made stops the run too.
 */
export async function runProbe(target: ProbeTarget, settings: ProbeSettings): Promise<ProbeReport> {
  const plan = planRequests(deriveVariants(settings.allowed, settings), target.transport);
  const planned = requestCount(plan);
  if (planned > MAX_PROBE_REQUESTS) {
    throw new ProbeError(
      `${settings.allowed.length} allowed origins need ${planned} requests, more than the bound of ${MAX_PROBE_REQUESTS}: probe fewer at a time.`,
    );
  }
  let requests = 0;
  let stoppedBecause: string | undefined;
  const send = async (request: Buffer): Promise<Answer> => {
    requests++;
    return exchange(target, request, settings);
  };
  const attempt = async (step: PlannedRequest): Promise<ProbeResult> => {
    let sid: string | undefined;
    if (step.request.endsWith('+sid')) {
      const session = await openSession(target, settings, send);
      if (typeof session !== 'string') return noSessionResult(step, session, settings);
      sid = session;
    }
    const answer = await send(requestBytes(target, step.variant, step.request, settings, sid));
    return resultOf(step, answer, settings);
  };
  const run = async (step: PlannedRequest): Promise<ProbeResult> => {
    const result = await attempt(step);
    // No point knocking on: the endpoint is gone (or was never there).
    if (result.outcome === 'unreachable') stoppedBecause ??= result.statusText;
    return result;
  };

  const results: ProbeResult[] = [];
  const controls = plan.filter((step) => step.variant.kind === 'control');
  for (const step of controls) {
    const result = await run(step);
    results.push(result);
    if (result.outcome !== 'accepted') {
      stoppedBecause = controlProblem(result);
      break;
    }
  }
  if (stoppedBecause === undefined) {
    const rest = plan.slice(controls.length);
    const settled = await inPool(
      rest,
      settings.concurrency,
      run,
      () => stoppedBecause !== undefined,
    );
    results.push(...settled);
  }
  return buildReport({
    url: target.url,
    transport: target.transport,
    allowed: settings.allowed.map((origin) => origin.serialized),
    browserOnly: settings.browserOnly,
    requests,
    results,
    stoppedBecause,
  });
}

/** A polling handshake from the first allowed origin; its `sid`, or the answer that had none. */
async function openSession(
  target: ProbeTarget,
  settings: ProbeSettings,
  send: (request: Buffer) => Promise<Answer>,
): Promise<string | Answer> {
  const origin = settings.allowed[0]!.serialized;
  const path = engineTarget(target, 'polling');
  const answer = await send(rawRequest(target, path, false, [['Origin', origin]], settings));
  if (answer.kind !== 'response' || answer.response.status !== 200) return answer;
  try {
    const open = JSON.parse(answer.response.body.slice(1)) as { sid?: unknown };
    if (typeof open.sid === 'string' && open.sid !== '') return open.sid;
  } catch {
    // not an engine.io open packet: reported below
  }
  return { kind: 'closed', detail: 'the polling handshake answer held no sid' };
}

function resultOf(step: PlannedRequest, answer: Answer, settings: ProbeSettings): ProbeResult {
  return describeResult(
    step,
    outcomeOf(step.request, answer),
    answer.kind === 'response' ? answer.response.status : undefined,
    statusText(step.request, answer, settings.timeoutMs),
  );
}

/** A `sid` request whose session could not be opened was never sent: nothing to judge. */
function noSessionResult(
  step: PlannedRequest,
  answer: Answer,
  settings: ProbeSettings,
): ProbeResult {
  const handshake = statusText('polling', answer, settings.timeoutMs);
  return describeResult(
    step,
    answer.kind === 'unreachable' ? 'unreachable' : 'no-answer',
    undefined,
    `no session (polling handshake: ${handshake})`,
  );
}

function describeResult(
  step: PlannedRequest,
  outcome: RequestOutcome,
  status: number | undefined,
  text: string,
): ProbeResult {
  const { variant, request } = step;
  const verdict = verdictOf(variant.kind, outcome);
  return {
    variant: variant.id,
    label: variant.label,
    kind: variant.kind,
    request,
    headers: variant.headers,
    sent: describeSent(variant),
    status,
    statusText: text,
    outcome,
    verdict: verdict.text,
    failure: verdict.failure,
  };
}

/**
 * Runs `task` over `items` with at most `limit` at once, in order of the items; stops taking
 * new items once `stop()` says so. Results keep the items' order.
 */
async function inPool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
  stop: () => boolean,
): Promise<R[]> {
  const results: (R | undefined)[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  return results.filter((result): result is R => result !== undefined);
}
