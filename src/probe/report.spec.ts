import { describe, expect, it } from 'vitest';
import { buildReport, type ProbeResult } from './report.js';
import type { RequestOutcome } from './verdict.js';
import type { VariantKind } from './variants.js';

function result(
  label: string,
  kind: VariantKind,
  outcome: RequestOutcome,
  /** `null`: no Origin header. */
  origin: string | null = 'https://attacker.example',
): ProbeResult {
  return {
    variant: label.replaceAll(' ', '-'),
    label,
    kind,
    request: 'upgrade',
    headers: origin === null ? [] : [['Origin', origin]],
    sent: origin === null ? 'no Origin' : `Origin: ${origin}`,
    status: outcome === 'accepted' ? 101 : outcome === 'refused' ? 403 : undefined,
    statusText:
      outcome === 'accepted' ? '101' : outcome === 'refused' ? '403' : 'no answer in 300 ms',
    outcome,
    verdict: '',
    failure: kind === 'hostile' && outcome === 'accepted',
  };
}

const base = {
  url: 'ws://h:1/ws',
  transport: 'ws' as const,
  allowed: ['https://a.example'],
  browserOnly: false,
};
const control = result('allowed origin', 'control', 'accepted', 'https://a.example');

/** The report on `ws://h:1/ws` for `requests` sent, with the control first among the results. */
function reportOf(requests: number, ...results: ProbeResult[]) {
  return buildReport({ ...base, requests, results: [control, ...results] });
}

describe('buildReport', () => {
  it('is safe when every hostile request was refused and the control accepted', () => {
    const report = reportOf(
      3,
      result('other site', 'hostile', 'refused'),
      result('missing Origin', 'native', 'accepted', null),
    );
    expect(report).toMatchObject({ outcome: 'safe', exitCode: 0, accepted: [], hints: [] });
    expect(report.summary).toBe(
      'SAFE: all 1 hostile requests were refused and the allowed origin was accepted by ws://h:1/ws (3 requests sent; native-client shape allowed: 1).',
    );
  });

  it('is vulnerable when one got through, even if another got no answer', () => {
    const report = reportOf(
      3,
      result('other site', 'hostile', 'accepted'),
      result('null origin', 'hostile', 'no-answer'),
    );
    expect(report).toMatchObject({
      outcome: 'vulnerable',
      exitCode: 1,
      accepted: ['other site (upgrade)'],
    });
    expect(report.summary).toBe(
      'VULNERABLE: 1 of 2 hostile requests were accepted by ws://h:1/ws (3 requests sent).',
    );
  });

  it('is not probed when a request got no answer, or the run stopped', () => {
    const silent = reportOf(2, result('null origin', 'hostile', 'no-answer'));
    expect(silent).toMatchObject({ outcome: 'not-probed', exitCode: 2 });
    expect(silent.summary).toBe(
      'NOT PROBED: 1 request got no answer (no answer in 300 ms) (ws://h:1/ws, 2 requests sent).',
    );
    const stopped = buildReport({
      ...base,
      requests: 1,
      results: [],
      stoppedBecause: 'no connection',
    });
    expect(stopped.summary).toBe('NOT PROBED: no connection (ws://h:1/ws, 1 request sent).');
  });

  it('hints at a missing check or a proxy that drops Origin when no Origin value was refused', () => {
    const report = reportOf(
      3,
      result('other site', 'hostile', 'accepted'),
      result('Fetch Metadata cross-site', 'hostile', 'refused', null),
    );
    expect(report.hints).toEqual([
      'No Origin value was refused: the endpoint does not check Origin, or something in front of it (a proxy, a CDN) drops the header.',
    ]);
  });
});
