import type { DecisionSeries, Outcome } from './decision-bench.js';
import type { HandshakeRun, HandshakeVariant } from './handshake-bench.js';
import type { MachineFacts } from './machine-facts.js';
import { mb, type MemoryRun } from './memory-bench.js';
import { MESSAGE_VARIANTS, type MessageRun } from './message-bench.js';
import type { ServerUsage } from './server-process.js';
import { pairedRatios, spread, type Spread } from './stats.js';

export interface HandshakeGroup {
  /** `ws` or `Socket.IO`. */
  readonly name: string;
  readonly plainKey: string;
  readonly allowedKey: string;
  readonly refusedKey: string;
  readonly variants: readonly HandshakeVariant[];
  readonly runs: Map<string, HandshakeRun[]>;
}

export interface BenchResults {
  readonly facts: MachineFacts;
  readonly seconds: number;
  readonly method: string[];
  readonly handshakes: HandshakeGroup[];
  readonly messages?: Map<string, MessageRun[]>;
  readonly memory?: MemoryRun[];
  readonly decisions?: DecisionSeries[];
  readonly notes: string[];
}

interface Target {
  readonly what: string;
  readonly values: number[];
  /** `undefined` for a row that explains another and has no target of its own. */
  readonly goal: string | undefined;
  readonly met: (median: number) => boolean;
  readonly format: (value: number) => string;
}

const ratio = (value: number) => `${value.toFixed(2)}×`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(2);
const us = (value: number) => value.toFixed(1);
const percent = (value: number) => `${Math.round(value)}%`;
const cores = (value: number) => value.toFixed(2);
const ns = (value: number) =>
  value >= 10_000 ? `${count(value / 1000)} µs` : `${Math.round(value)} ns`;

function cell(s: Spread, format: (value: number) => string): string {
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

/** The targets of issue 6, each judged on the median of per-round ratios. */
export function targets(results: BenchResults): Target[] {
  const list: Target[] = [];
  for (const group of results.handshakes) {
    const perSecond = (key: string) => group.runs.get(key)!.map((r) => r.perSecond);
    list.push(
      {
        what: `${group.name} accepted handshakes/s, ours ÷ plain adapter`,
        values: pairedRatios(perSecond(group.allowedKey), perSecond(group.plainKey)),
        goal: '≥ 0.97×',
        met: (m) => m >= 0.97,
        format: ratio,
      },
      {
        what: `${group.name} refused ÷ accepted handshakes/s (ours)`,
        values: pairedRatios(perSecond(group.refusedKey), perSecond(group.allowedKey)),
        goal: '≥ 1.00×',
        met: (m) => m >= 1,
        format: ratio,
      },
    );
  }
  if (results.messages !== undefined) {
    const perSecond = (key: string) => results.messages!.get(key)!.map((r) => r.perSecond);
    list.push(
      {
        what: 'message round trips/s, with ÷ without `OriginGuard`',
        values: pairedRatios(perSecond('msg-guard'), perSecond('msg-plain')),
        goal: '≥ 0.95×',
        met: (m) => m >= 0.95,
        format: ratio,
      },
      {
        what: '↳ of which Nest’s guard machinery: guard returning `true` ÷ no guard',
        values: pairedRatios(perSecond('msg-allow'), perSecond('msg-plain')),
        goal: undefined,
        met: () => true,
        format: ratio,
      },
      {
        what: '↳ of which `OriginGuard` itself: `OriginGuard` ÷ guard returning `true`',
        values: pairedRatios(perSecond('msg-guard'), perSecond('msg-allow')),
        goal: undefined,
        met: () => true,
        format: ratio,
      },
    );
  }
  if (results.decisions !== undefined) {
    const series = (size: number, outcome: Outcome, implementation: string) =>
      results.decisions!.find(
        (s) => s.size === size && s.outcome === outcome && s.implementation === implementation,
      )!.nsPerDecision;
    for (const outcome of ['allowed', 'refused'] as const) {
      list.push({
        what: `decision time (${outcome}), 10,000 ÷ 1 entry`,
        values: pairedRatios(series(10_000, outcome, 'policy'), series(1, outcome, 'policy')),
        goal: '≤ 1.50×',
        met: (m) => m <= 1.5,
        format: ratio,
      });
    }
    for (const outcome of ['allowed', 'refused'] as const) {
      list.push({
        what: `decision at 10,000 entries (${outcome}), linear scan ÷ ours`,
        values: pairedRatios(series(10_000, outcome, 'naive'), series(10_000, outcome, 'policy')),
        goal: '≥ 10×',
        met: (m) => m >= 10,
        format: (v) => `${v >= 100 ? count(v) : v.toFixed(1)}×`,
      });
    }
  }
  if (results.memory !== undefined) {
    list.push({
      what: 'RSS growth after 20,000 refused handshakes (distinct origins)',
      values: results.memory.map((r) => (r.afterRefusals.rss - r.afterWarmup.rss) / 1024 / 1024),
      goal: '≤ 5 MB',
      met: (m) => m <= 5,
      format: (v) => `${v.toFixed(2)} MB`,
    });
  }
  return list;
}

export function renderReport(results: BenchResults): string {
  const { facts } = results;
  const out: string[] = [];
  out.push(
    `Latest run: ${facts.date}, Node ${facts.node}, ${facts.cpuModel}, ${facts.cores} cores, ` +
      `${facts.memoryGb} GB RAM, ${facts.os}; code ${facts.code}. ` +
      `\`npm run bench\` took ${Math.round(results.seconds)} s.`,
    '',
    '### Summary',
    '',
    'Each ratio is computed within a round, then summarized as median (min–max) over the rounds. ' +
      'Handshake variants alternate A B C A B C …, a fresh server per run; message handlers ' +
      'alternate in short slices on a fresh server per round.',
    '',
    '| Target | Measured | Goal | Verdict |',
    '| --- | --- | --- | --- |',
  );
  for (const t of targets(results)) {
    const s = spread(t.values);
    const verdict = t.goal === undefined ? '' : t.met(s.median) ? 'pass' : '**miss**';
    out.push(`| ${t.what} | ${cell(s, t.format)} | ${t.goal ?? ''} | ${verdict} |`);
  }
  for (const note of results.notes) out.push('', `Note: ${note}`);

  for (const group of results.handshakes) {
    out.push(
      '',
      `### Handshakes (${group.name})`,
      '',
      '| Variant | Handshakes/s | p50 latency (ms) | p99 latency (ms) | Server CPU per handshake (µs) | Server busy | Load generator busy | Other processes (cores) | Refusal log lines |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const variant of group.variants) {
      const runs = group.runs.get(variant.key)!;
      out.push(
        `| ${variant.label} | ${cell(spread(runs.map((r) => r.perSecond)), count)} | ` +
          `${cell(spread(runs.map((r) => r.p50Ms)), ms)} | ${cell(spread(runs.map((r) => r.p99Ms)), ms)} | ` +
          `${cell(spread(runs.map((r) => r.serverCpuUsPerHandshake)), us)} | ` +
          `${cell(spread(runs.map((r) => r.serverCpuShare * 100)), percent)} | ` +
          `${cell(spread(runs.map((r) => r.clientCpuShare * 100)), percent)} | ` +
          `${cell(spread(runs.map((r) => r.otherLoadCores)), cores)} | ` +
          `${runs.map((r) => r.refusalLogLines).join(', ')} |`,
      );
    }
  }

  if (results.messages !== undefined) {
    out.push(
      '',
      '### Message round trips (ws)',
      '',
      '| Handler guarded by | Round trips/s | p50 latency (ms) | p99 latency (ms) | Server CPU per round trip (µs) | Server busy | Load generator busy | Other processes (cores) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const variant of MESSAGE_VARIANTS) {
      const runs = results.messages.get(variant.key)!;
      out.push(
        `| ${variant.label} | ${cell(spread(runs.map((r) => r.perSecond)), count)} | ` +
          `${cell(spread(runs.map((r) => r.p50Ms)), ms)} | ${cell(spread(runs.map((r) => r.p99Ms)), ms)} | ` +
          `${cell(spread(runs.map((r) => r.serverCpuUsPerRoundTrip)), us)} | ` +
          `${cell(spread(runs.map((r) => r.serverCpuShare * 100)), percent)} | ` +
          `${cell(spread(runs.map((r) => r.clientCpuShare * 100)), percent)} | ` +
          `${cell(spread(runs.map((r) => r.otherLoadCores)), cores)} |`,
      );
    }
  }

  const decisions = results.decisions;
  if (decisions !== undefined) {
    out.push(
      '',
      '### Policy decision time (in-process, per handshake)',
      '',
      '| Allowlist entries | Ours, allowed | Ours, refused | Linear scan, allowed | Linear scan, refused |',
      '| --- | --- | --- | --- | --- |',
    );
    const sizes = [...new Set(decisions.map((s) => s.size))];
    for (const size of sizes) {
      const get = (implementation: string, outcome: Outcome) =>
        cell(
          spread(
            decisions.find(
              (s) =>
                s.size === size && s.implementation === implementation && s.outcome === outcome,
            )!.nsPerDecision,
          ),
          ns,
        );
      out.push(
        `| ${count(size)} | ${get('policy', 'allowed')} | ${get('policy', 'refused')} | ` +
          `${get('naive', 'allowed')} | ${get('naive', 'refused')} |`,
      );
    }
  }

  const memory = results.memory;
  if (memory !== undefined) {
    const readings: [string, (u: ServerUsage) => number][] = [
      ['RSS', (u) => u.rss],
      ['V8 heap used', (u) => u.heapUsed],
      ['V8 heap committed', (u) => u.heapTotal],
      ['external (incl. array buffers)', (u) => u.external],
    ];
    const repeated = memory.every((r) => r.afterMoreRefusals !== undefined);
    out.push(
      '',
      '### Server memory after refused handshakes (distinct origins)',
      '',
      `| Reading, after a forced full GC (MB) | After warm-up | After 20,000 refusals | Growth |${repeated ? ' After 20,000 more | Growth in the second batch |' : ''}`,
      `| --- | --- | --- | --- |${repeated ? ' --- | --- |' : ''}`,
    );
    for (const [name, read] of readings) {
      const column = (values: number[]) => cell(spread(values), mb);
      let row =
        `| ${name} | ${column(memory.map((r) => read(r.afterWarmup)))} | ` +
        `${column(memory.map((r) => read(r.afterRefusals)))} | ` +
        `${column(memory.map((r) => read(r.afterRefusals) - read(r.afterWarmup)))} |`;
      if (repeated) {
        row +=
          ` ${column(memory.map((r) => read(r.afterMoreRefusals!)))} | ` +
          `${column(memory.map((r) => read(r.afterMoreRefusals!) - read(r.afterRefusals)))} |`;
      }
      out.push(row);
    }
    out.push(
      '',
      `Refusal log lines written per server, for all of its refusals: ${memory.map((r) => r.refusalLogLines).join(', ')}. ` +
        `Refused handshakes/s while measuring: ${cell(spread(memory.map((r) => r.perSecond)), count)}.`,
    );
  }

  out.push('', '### Settings of this run', '', ...results.method.map((line) => `- ${line}`));
  return out.join('\n');
}
