import { performance } from 'node:perf_hooks';
import { OriginPolicy } from '../src/index.js';
import { allowlistFixture } from './allowlist-fixture.js';
import { compileNaive, type NaiveAllowlist, naiveAllows } from './naive-allowlist.js';

export type Outcome = 'allowed' | 'refused';
export type Implementation = 'policy' | 'naive';

export interface DecisionSeries {
  readonly size: number;
  readonly outcome: Outcome;
  readonly implementation: Implementation;
  /** Nanoseconds per decision, one value per round. */
  readonly nsPerDecision: number[];
}

export interface DecisionBenchOptions {
  readonly sizes: readonly number[];
  readonly rounds: number;
  /** Wall time of one measured batch. */
  readonly batchMs: number;
  readonly batchesPerRound: number;
}

/**
 * In-process microbenchmark of one handshake decision: `OriginPolicy.evaluate()` (finding the
 * `Origin` line in the raw headers, strict parsing, lookup) against a linear scan of strings
 * and regular expressions. All cases run in each round, in turn, so drift hits them alike.
 */
export function runDecisionBench(options: DecisionBenchOptions): DecisionSeries[] {
  const cases = options.sizes.flatMap((size) => buildCases(size));
  for (const c of cases) {
    c.iterations = calibrate(c.run, options.batchMs);
    c.run(c.iterations); // warm-up at full length
  }
  const series = cases.map((c) => ({ ...c.series, nsPerDecision: [] as number[] }));
  for (let round = 0; round < options.rounds; round++) {
    cases.forEach((c, i) => {
      // The fastest of a few batches: preemption and GC only ever add time.
      let best = Number.POSITIVE_INFINITY;
      for (let batch = 0; batch < options.batchesPerRound; batch++) {
        const began = performance.now();
        const matched = c.run(c.iterations);
        best = Math.min(best, (performance.now() - began) * 1e6);
        // Doubles as the sink that keeps the work from being optimized away.
        const expected = c.series.outcome === 'allowed' ? c.iterations : 0;
        if (matched !== expected) {
          throw new Error(`${describe(c.series)}: ${matched} of ${c.iterations} matched`);
        }
      }
      series[i]!.nsPerDecision.push(best / c.iterations);
    });
  }
  return series;
}

interface Case {
  readonly series: Omit<DecisionSeries, 'nsPerDecision'>;
  /** Decides `iterations` probes, continuing the probe cycle where the last batch stopped. */
  readonly run: (iterations: number) => number;
  iterations: number;
}

/**
 * Where each case's probe cycle stands. Continued across batches: a batch that restarted it
 * would meet the previous batch's probes in the decision cache whenever a batch is shorter than
 * the cache (a slow machine calibrates short batches).
 */
class ProbeCycle {
  private next = 0;

  constructor(private readonly length: number) {}

  /** The first probe of a batch of `n`, and moves the cycle past the batch. */
  take(n: number): number {
    const start = this.next;
    this.next = (start + n) % this.length;
    return start;
  }
}

function buildCases(size: number): Case[] {
  const fixture = allowlistFixture(size);
  const { policy, problems } = OriginPolicy.compile(
    fixture.entries,
    { allowMissingOrigin: false },
    'bench',
  );
  if (problems.length > 0) throw new Error(`fixture of ${size} has invalid entries`);
  const naive = compileNaive(fixture.entries);
  const cases: Case[] = [];
  for (const outcome of ['allowed', 'refused'] as const) {
    const origins = fixture[outcome];
    const requests = origins.map((origin) => ({ rawHeaders: rawHeadersWithOrigin(origin) }));
    const policyCycle = new ProbeCycle(requests.length);
    const naiveCycle = new ProbeCycle(origins.length);
    cases.push(
      {
        series: { size, outcome, implementation: 'policy' },
        run: (n) => policyLoop(policy, requests, policyCycle.take(n), n),
        iterations: 0,
      },
      {
        series: { size, outcome, implementation: 'naive' },
        run: (n) => naiveLoop(naive, origins, naiveCycle.take(n), n),
        iterations: 0,
      },
    );
  }
  return cases;
}

const SCOPE = { gateways: ['BenchGateway'] };

// Two separate loops, so that each call site sees one target and stays monomorphic.
function policyLoop(
  policy: OriginPolicy,
  requests: readonly { rawHeaders: string[] }[],
  start: number,
  n: number,
): number {
  let matched = 0;
  const mask = requests.length - 1;
  for (let i = start; i < start + n; i++) {
    const decision = policy.evaluate(requests[i & mask]!, SCOPE);
    // Only predicates make a decision asynchronous, and these lists have none.
    if (decision instanceof Promise) throw new Error('unexpected asynchronous decision');
    if (decision.allowed) matched++;
  }
  return matched;
}

function naiveLoop(
  list: NaiveAllowlist,
  origins: readonly string[],
  start: number,
  n: number,
): number {
  let matched = 0;
  const mask = origins.length - 1;
  for (let i = start; i < start + n; i++) if (naiveAllows(list, origins[i & mask]!)) matched++;
  return matched;
}

/** Node's `rawHeaders` for a browser handshake: the `Origin` line sits among a dozen others. */
function rawHeadersWithOrigin(origin: string): string[] {
  return [
    'Host',
    'app.example.com',
    'Connection',
    'Upgrade',
    'Pragma',
    'no-cache',
    'Cache-Control',
    'no-cache',
    'User-Agent',
    'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0',
    'Upgrade',
    'websocket',
    'Origin',
    origin,
    'Sec-WebSocket-Version',
    '13',
    'Accept-Encoding',
    'gzip, deflate, br',
    'Accept-Language',
    'en-US,en;q=0.9',
    'Sec-WebSocket-Key',
    'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Extensions',
    'permessage-deflate; client_max_window_bits',
  ];
}

/** Grows the batch until it takes about `batchMs`, so that timer resolution does not matter. */
function calibrate(run: (iterations: number) => number, batchMs: number): number {
  let iterations = 16;
  for (;;) {
    const began = performance.now();
    run(iterations);
    const elapsed = performance.now() - began;
    if (elapsed >= batchMs / 4 || iterations >= 1 << 26) {
      return Math.max(64, Math.round((iterations * batchMs) / Math.max(elapsed, 0.001)));
    }
    iterations *= 2;
  }
}

export function describe(series: Omit<DecisionSeries, 'nsPerDecision'>): string {
  return `${series.implementation} ${series.size} entries ${series.outcome}`;
}
