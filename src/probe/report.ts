import type { ProbeTransport } from './probe-target.js';
import type { RequestKind } from './request-plan.js';
import type { RequestOutcome } from './verdict.js';
import type { HeaderLine, VariantKind } from './variants.js';

/**
 * One request of a probe and what it got.
 *
 * @example
 * ```ts
 * { variant: 'other-site', label: 'other site', kind: 'hostile', request: 'upgrade',
 *   headers: [['Origin', 'https://attacker.example']], sent: 'Origin: https://attacker.example',
 *   status: 403, statusText: '403 Forbidden', outcome: 'refused', verdict: 'refused', failure: false }
 * ```
 * @publicApi
 */
export interface ProbeResult {
  /** Stable identifier of the variant, e.g. `other-site`, `missing`, `fetch-cross-site`. */
  readonly variant: string;
  readonly label: string;
  /** `control` (an allowed origin), `hostile`, `equivalent` (the same origin spelled otherwise) or `native`. */
  readonly kind: VariantKind;
  /** `upgrade`, or for Socket.IO `polling`, `poll+sid`, `upgrade+sid`. */
  readonly request: RequestKind;
  /** The variant's own header lines, exactly as sent. */
  readonly headers: readonly HeaderLine[];
  /** Those header lines for a human. */
  readonly sent: string;
  /** The HTTP status of the answer, if there was one. */
  readonly status: number | undefined;
  readonly statusText: string;
  readonly outcome: RequestOutcome;
  readonly verdict: string;
  /** A hostile request the endpoint accepted. */
  readonly failure: boolean;
}

/**
 * `safe` (exit 0): every hostile request refused, every allowed origin accepted.
 * `vulnerable` (exit 1): at least one hostile request accepted.
 * `not-probed` (exit 2): no connection, an allowed origin refused, or no answer.
 *
 * @example
 * ```ts
 * if (report.outcome !== 'safe') process.exitCode = report.exitCode;
 * ```
 * @publicApi
 */
export type ProbeOutcome = 'safe' | 'vulnerable' | 'not-probed';

/**
 * Everything a probe found, as `--json` prints it.
 *
 * @example
 * ```ts
 * const report = await probeOrigins(app, { path: '/chat', allowed: ['https://app.example.com'] });
 * expect(report.accepted).toEqual([]);
 * ```
 * @publicApi
 */
export interface ProbeReport {
  /** The endpoint, e.g. `wss://app.example.com:443/chat`. */
  readonly url: string;
  readonly transport: ProbeTransport;
  readonly allowed: readonly string[];
  readonly browserOnly: boolean;
  readonly outcome: ProbeOutcome;
  /** What the CLI exits with: 0, 1 or 2. */
  readonly exitCode: 0 | 1 | 2;
  /** One line, e.g. `SAFE: all 20 hostile requests were refused …`. */
  readonly summary: string;
  /** Connections opened (each carries one request). */
  readonly requests: number;
  readonly results: readonly ProbeResult[];
  /** The hostile requests that got through, as `label (request)`: empty when the endpoint is safe. */
  readonly accepted: readonly string[];
  /** What the pattern of answers suggests, e.g. a proxy that drops `Origin`. */
  readonly hints: readonly string[];
}

export interface ReportInput {
  readonly url: string;
  readonly transport: ProbeTransport;
  readonly allowed: readonly string[];
  readonly browserOnly: boolean;
  readonly requests: number;
  readonly results: readonly ProbeResult[];
  /** Why the run stopped early, if it did. */
  readonly stoppedBecause?: string;
}

export function buildReport(input: ReportInput): ProbeReport {
  const { results, url } = input;
  const hostile = results.filter((r) => r.kind === 'hostile');
  const failures = hostile.filter((r) => r.failure);
  const accepted = failures.map((r) => `${r.label} (${r.request})`);
  const sent = `${input.requests} ${input.requests === 1 ? 'request' : 'requests'} sent`;
  const problem = input.stoppedBecause ?? firstProblem(results);
  let outcome: ProbeOutcome;
  let summary: string;
  // A hostile request that got through is a finding, even if the run stopped later.
  if (failures.length > 0) {
    outcome = 'vulnerable';
    summary = `VULNERABLE: ${failures.length} of ${hostile.length} hostile requests were accepted by ${url} (${sent}).`;
  } else if (problem !== undefined) {
    outcome = 'not-probed';
    summary = `NOT PROBED: ${problem} (${url}, ${sent}).`;
  } else {
    outcome = 'safe';
    const native = results.filter((r) => r.kind === 'native' && r.outcome === 'accepted').length;
    const note = native === 0 ? '' : `; native-client shape allowed: ${native}`;
    const controls =
      input.allowed.length === 1 ? 'the allowed origin was' : 'the allowed origins were';
    summary = `SAFE: all ${hostile.length} hostile requests were refused and ${controls} accepted by ${url} (${sent}${note}).`;
  }
  const exitCode = outcome === 'safe' ? 0 : outcome === 'vulnerable' ? 1 : 2;
  return {
    url,
    transport: input.transport,
    allowed: input.allowed,
    browserOnly: input.browserOnly,
    outcome,
    exitCode,
    summary,
    requests: input.requests,
    results,
    accepted,
    hints: hintsFor(hostile),
  };
}

function firstProblem(results: readonly ProbeResult[]): string | undefined {
  const control = results.find((r) => r.kind === 'control' && r.outcome !== 'accepted');
  if (control !== undefined) return controlProblem(control);
  const silent = results.filter((r) => r.outcome === 'no-answer' || r.outcome === 'unreachable');
  if (silent.length === 0) return undefined;
  return `${silent.length} ${silent.length === 1 ? 'request' : 'requests'} got no answer (${silent[0]!.statusText})`;
}

/** Why a control that was not accepted stops the run. */
export function controlProblem(control: ProbeResult): string {
  if (control.outcome === 'unreachable') return control.statusText;
  const origin = control.headers[0]?.[1] ?? '';
  return `the allowed origin ${origin} was not accepted (${control.request}: ${control.statusText}), so refusals would prove nothing`;
}

function hintsFor(hostile: readonly ProbeResult[]): string[] {
  const withOrigin = hostile.filter((r) =>
    r.headers.some(([name]) => name.toLowerCase() === 'origin'),
  );
  if (withOrigin.length > 0 && withOrigin.every((r) => r.outcome === 'accepted')) {
    return [
      'No Origin value was refused: the endpoint does not check Origin, or something in front of it (a proxy, a CDN) drops the header.',
    ];
  }
  return [];
}
