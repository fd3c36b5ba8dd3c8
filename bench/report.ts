import type { DecisionSeries, Outcome } from './decision-bench.js';
import type { GateRuns } from './gate-bench.js';
import type { HandshakeGroupKeys, HandshakeRun, HandshakeVariant } from './handshake-bench.js';
import type { MachineFacts } from './machine-facts.js';
import { mb, type MemoryRun } from './memory-bench.js';
import type { IoServerKey } from './alternating-io-servers.js';
import type { SessionMemoryRuns } from './session-memory-bench.js';
import type { SocketMemoryRuns } from './socket-memory-bench.js';
import { MESSAGE_VARIANTS, type MessageRun } from './message-bench.js';
import type { ServerUsage } from './server-process.js';
import { pairedRatios, spread, type Spread } from './stats.js';

export interface HandshakeGroup {
  /** `ws` or `Socket.IO`. */
  readonly name: string;
  readonly keys: HandshakeGroupKeys;
  readonly variants: readonly HandshakeVariant[];
  readonly runs: Map<string, HandshakeRun[]>;
}

export interface BenchResults {
  readonly facts: MachineFacts;
  readonly seconds: number;
  readonly method: string[];
  readonly handshakes: HandshakeGroup[];
  readonly gate?: GateRuns;
  readonly messages?: Map<string, MessageRun[]>;
  readonly memory?: MemoryRun[];
  readonly sessionMemory?: SessionMemoryRuns;
  readonly socketMemory?: SocketMemoryRuns;
  readonly decisions?: DecisionSeries[];
  readonly notes: string[];
}

interface Target {
  readonly what: string;
  /** Per-round values: for handshakes and messages, ratios of server CPU time per operation. */
  readonly values: number[];
  /** Per-round ratios of operations per second, shown alongside (inverted: CPU-like). */
  readonly throughput?: number[];
  /** Per-round ratios of the A/A control that belongs to this row. */
  readonly control?: number[];
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

/** A row over paired runs: `numerator ÷ denominator`; without a goal, it explains another row. */
type RatioRow = (
  what: string,
  numerator: string,
  denominator: string,
  goal?: string,
  met?: (median: number) => boolean,
) => Target;

/** Rows on per-round server CPU time (`cpu`) and throughput (`perSecond`) by variant key. */
function ratioRow(
  cpu: (key: string) => number[],
  perSecond: (key: string) => number[],
  control: number[],
): RatioRow {
  return (what, numerator, denominator, goal, met = () => true) => ({
    what,
    values: pairedRatios(cpu(numerator), cpu(denominator)),
    throughput: pairedRatios(perSecond(denominator), perSecond(numerator)),
    control,
    goal,
    met,
    format: ratio,
  });
}

/**
 * The targets of issues 6 and 14, each judged on the median of per-round ratios. Handshakes
 * and messages are judged on server CPU time per operation (the server is the bottleneck, so
 * throughput follows it, but it is blurred by the load generator and the loopback); the
 * throughput ratio is shown inverted (÷ of time per operation) so both read the same way.
 */
export function targets(results: BenchResults): Target[] {
  const list: Target[] = [];
  for (const group of results.handshakes) {
    const { keys } = group;
    const cpu = (key: string) => group.runs.get(key)!.map((r) => r.serverCpuUsPerHandshake);
    const perSecond = (key: string) => group.runs.get(key)!.map((r) => r.perSecond);
    const row = ratioRow(cpu, perSecond, pairedRatios(cpu(keys.control), cpu(keys.plain)));
    const name = group.name;
    list.push(
      row(`${name} A/A control: a second plain server ÷ the first`, keys.control, keys.plain),
      row(
        `${name} accepted${keys.polling === undefined ? '' : ' (WebSocket upgrade)'}, ours ÷ plain adapter`,
        keys.allowed,
        keys.plain,
        name === 'ws' ? '≤ 1.00× (goal ≤ 0.95×)' : '≤ 1.00×',
        (m) => m <= 1,
      ),
    );
    const polling = keys.polling;
    if (polling !== undefined) {
      // Polling handshakes have an A/A control of their own: they cost another amount, and
      // their servers hold sessions that a WebSocket upgrade's servers do not.
      const pollRow = ratioRow(
        cpu,
        perSecond,
        pairedRatios(cpu(polling.control), cpu(polling.plain)),
      );
      list.push(
        pollRow(
          `${name} A/A control (polling handshake): a second plain server ÷ the first`,
          polling.control,
          polling.plain,
        ),
        pollRow(
          `${name} accepted (polling handshake), ours ÷ plain adapter`,
          polling.allowed,
          polling.plain,
          '≤ 1.00×',
          (m) => m <= 1,
        ),
      );
    }
    list.push(
      row(
        `${name} refused ÷ accepted (ours)`,
        keys.refused,
        keys.allowed,
        '≤ 0.35×',
        (m) => m <= 0.35,
      ),
      // The same refusal over Nest's accepted handshake: a cheaper accepted one of ours raises
      // the row above without the refusal costing any more.
      row(`${name} refused (ours) ÷ accepted (plain adapter)`, keys.refused, keys.plain),
    );
    if (keys.naiveRefused !== undefined) {
      list.push(
        row(
          `${name} refused, ours ÷ naive \`verifyClient\` refusal`,
          keys.refused,
          keys.naiveRefused,
          '≤ 1.00×',
          (m) => m <= 1,
        ),
      );
    }
    if (keys.allowedWithoutGate !== undefined) {
      list.push(
        row(
          `${name} accepted, with the app-wide upgrade gate ÷ without, two processes (their own speeds included)`,
          keys.allowed,
          keys.allowedWithoutGate,
        ),
      );
    }
    if (keys.bare !== undefined) {
      list.push(row(`${name} floor: bare \`ws\` server ÷ plain adapter`, keys.bare, keys.plain));
    }
    if (keys.refusalFloor !== undefined) {
      list.push(
        row(
          `${name} refusal floor: bare Node HTTP server answering 403 ÷ ours accepted (the best refused ÷ accepted Node allows)`,
          keys.refusalFloor,
          keys.allowed,
        ),
        row(`${name} refused, ours ÷ refusal floor`, keys.refused, keys.refusalFloor),
      );
    }
  }
  const gate = results.gate;
  if (gate !== undefined) {
    list.push({
      what: 'ws accepted, with the app-wide upgrade gate ÷ without, one server switching it',
      values: pairedRatios(gate.on, gate.off),
      control: pairedRatios(gate.onAgain, gate.on),
      goal: '≤ 1.01×',
      met: (m) => m <= 1.01,
      format: ratio,
    });
  }
  if (results.messages !== undefined) {
    const cpu = (key: string) => results.messages!.get(key)!.map((r) => r.serverCpuUsPerRoundTrip);
    const perSecond = (key: string) => results.messages!.get(key)!.map((r) => r.perSecond);
    const row = ratioRow(cpu, perSecond, pairedRatios(cpu('msg-plain-b'), cpu('msg-plain')));
    list.push(
      row('message A/A control: the unguarded handler ÷ itself', 'msg-plain-b', 'msg-plain'),
      row(
        'message round trip, with ÷ without `OriginGuard`',
        'msg-guard',
        'msg-plain',
        '≤ 1.02×',
        (m) => m <= 1.02,
      ),
      row(
        '↳ of which Nest’s guard machinery: guard returning `true` ÷ no guard',
        'msg-allow',
        'msg-plain',
      ),
      row(
        '↳ of which `OriginGuard` itself: `OriginGuard` ÷ guard returning `true`',
        'msg-guard',
        'msg-allow',
      ),
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
  const sessions = results.sessionMemory;
  if (sessions !== undefined) {
    list.push({
      what: 'Socket.IO heap held per closed polling session, ours ÷ plain adapter',
      values: pairedRatios(sessions.get('io-origin')!, sessions.get('io-plain')!),
      goal: undefined,
      met: () => true,
      format: ratio,
    });
  }
  const sockets = results.socketMemory;
  if (sockets !== undefined) {
    list.push({
      what: 'Socket.IO heap held per connected socket (three handlers), ours ÷ plain adapter',
      values: pairedRatios(sockets.get('io-origin')!, sockets.get('io-plain')!),
      goal: undefined,
      met: () => true,
      format: ratio,
    });
  }
  return list;
}

/** A section of heap readings: Nest's `IoAdapter` server against ours. */
function heapTable(
  title: string,
  column: string,
  runs: ReadonlyMap<IoServerKey, readonly number[]>,
  footnote: string,
): string[] {
  const held = (server: IoServerKey) => cell(spread(runs.get(server)!), count);
  return [
    '',
    `### ${title}`,
    '',
    `| Server | ${column} |`,
    '| --- | --- |',
    `| Nest \`IoAdapter\` | ${held('io-plain')} |`,
    `| \`OriginIoAdapter\` | ${held('io-origin')} |`,
    '',
    footnote,
  ];
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
    'Handshake and message rows are ratios of server CPU time per operation. Each ratio is ' +
      'computed within a round, then summarized as median (min–max) over the rounds. The A/A ' +
      'column is the control of the same run (two identical plain servers; for messages, the ' +
      'unguarded handler against itself): its spread is the smallest effect the run resolves. ' +
      'Throughput is shown alongside as the ratio of time per operation (plain ÷ ours of ' +
      'handshakes/s). Handshake variants run on servers kept warm, interleaved in short slices ' +
      'within each round; message handlers alternate in short slices on a fresh server per round.',
    '',
    '| Target | Server CPU per operation (or measured) | A/A control | Throughput (time per op) | Goal | Verdict |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const t of targets(results)) {
    const s = spread(t.values);
    const verdict = t.goal === undefined ? '' : t.met(s.median) ? 'pass' : '**miss**';
    const optional = (values: number[] | undefined) =>
      values === undefined ? '' : cell(spread(values), t.format);
    out.push(
      `| ${t.what} | ${cell(s, t.format)} | ${optional(t.control)} | ${optional(t.throughput)} | ${t.goal ?? ''} | ${verdict} |`,
    );
  }
  for (const note of results.notes) out.push('', `Note: ${note}`);

  for (const group of results.handshakes) {
    out.push(
      '',
      `### Handshakes (${group.name})`,
      '',
      '| Variant | Server CPU per handshake (µs) | Handshakes/s | p50 latency (ms) | p99 latency (ms) | Server busy | Load generator busy | Other processes (cores) | Refusal log lines |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const variant of group.variants) {
      const runs = group.runs.get(variant.key)!;
      out.push(
        `| ${variant.label} | ${cell(spread(runs.map((r) => r.serverCpuUsPerHandshake)), us)} | ` +
          `${cell(spread(runs.map((r) => r.perSecond)), count)} | ` +
          `${cell(spread(runs.map((r) => r.p50Ms)), ms)} | ${cell(spread(runs.map((r) => r.p99Ms)), ms)} | ` +
          `${cell(spread(runs.map((r) => r.serverCpuShare * 100)), percent)} | ` +
          `${cell(spread(runs.map((r) => r.clientCpuShare * 100)), percent)} | ` +
          `${cell(spread(runs.map((r) => r.otherLoadCores)), cores)} | ` +
          `${runs.map((r) => r.refusalLogLines).join(', ')} |`,
      );
    }
    out.push(
      '',
      'Server busy is the CPU time of a round over the time of its own slices: a server also ' +
        'closes sockets and sessions between its slices, which can take it over 100%.',
    );
  }

  if (results.messages !== undefined) {
    out.push(
      '',
      '### Message round trips (ws)',
      '',
      '| Handler guarded by | Server CPU per round trip (µs) | Round trips/s | p50 latency (ms) | p99 latency (ms) | Server busy | Load generator busy | Other processes (cores) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const variant of MESSAGE_VARIANTS) {
      const runs = results.messages.get(variant.key)!;
      out.push(
        `| ${variant.label} | ${cell(spread(runs.map((r) => r.serverCpuUsPerRoundTrip)), us)} | ` +
          `${cell(spread(runs.map((r) => r.perSecond)), count)} | ` +
          `${cell(spread(runs.map((r) => r.p50Ms)), ms)} | ${cell(spread(runs.map((r) => r.p99Ms)), ms)} | ` +
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

  if (results.sessionMemory !== undefined) {
    out.push(
      ...heapTable(
        'Heap held per closed Socket.IO polling session',
        'Bytes per session, after a forced full GC',
        results.sessionMemory,
        'Both include what engine.io itself keeps for 30 s of every closed polling transport (its `closeTimeout`).',
      ),
    );
  }

  if (results.socketMemory !== undefined) {
    out.push(
      ...heapTable(
        'Heap held per connected Socket.IO socket',
        'Bytes per connected socket, after a forced full GC',
        results.socketMemory,
        'Both include what engine.io and Socket.IO keep per socket; the rest is what the adapter binds to each socket for the gateway’s three handlers.',
      ),
    );
  }

  out.push('', '### Settings of this run', '', ...results.method.map((line) => `- ${line}`));
  return out.join('\n');
}
