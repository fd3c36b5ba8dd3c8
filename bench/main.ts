import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { writeResults } from './benchmarks-file.js';
import { LOAD_CPU, startChild } from './child.js';
import { BUSY_MACHINE_CORES } from './cpu-contention.js';
import { runDecisionBench } from './decision-bench.js';
import {
  type HandshakeGroupKeys,
  handshakeRunMs,
  handshakeSetupMs,
  type HandshakeVariant,
  IO_HANDSHAKE_VARIANTS,
  IO_KEYS,
  runHandshakeBench,
  WS_HANDSHAKE_VARIANTS,
  WS_KEYS,
} from './handshake-bench.js';
import { machineFacts } from './machine-facts.js';
import { runMemoryBench } from './memory-bench.js';
import { runSessionMemoryBench } from './session-memory-bench.js';
import { runSocketMemoryBench, socketMemoryMs } from './socket-memory-bench.js';
import { gateBenchMs, runGateBench } from './gate-bench.js';
import { MESSAGE_VARIANTS, messageRoundMs, runMessageBench } from './message-bench.js';
import { type BenchResults, renderReport, targets } from './report.js';
import type { ServerOptions } from './server-handle.js';
import { spread } from './stats.js';
import { TimeBudget } from './time-budget.js';

/**
 * `npm run bench`: handshakes, message round trips, policy decisions and server memory, in
 * one run of a few minutes. Prints one summary and writes it into BENCHMARKS.md.
 *
 * Options: `--rounds N` (rounds of handshakes and of messages, default 5), `--only
 * ws,io,messages,memory,decisions`, `--profile` (a V8 CPU profile of each measured window, in
 * .bench-out/profiles; read them with dist-bench/bench/profile-summary.js), `--no-write`,
 * `--quick` (for development: short windows, 3 rounds unless `--rounds` says otherwise, no
 * re-runs of disturbed windows; never written to BENCHMARKS.md), `--in-flight N` (handshakes
 * the load generator keeps in flight, default 32), `--unpinned` (by default servers run on
 * core 0 and the load generator on core 1, pinned with `taskset` where it exists: unpinned, the
 * scheduler moving them onto one core spread the A/A control over 0.60×–1.68×).
 */
const { values } = parseArgs({
  options: {
    rounds: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'in-flight': { type: 'string' },
    unpinned: { type: 'boolean', default: false },
  },
});
const ALL_PARTS = ['ws', 'io', 'messages', 'memory', 'decisions'];
const quick = values.quick;
const rounds = Number(values.rounds ?? (quick ? 3 : 5));
if (!Number.isInteger(rounds) || rounds < 3 || rounds > 9) throw new Error('--rounds: 3 to 9');
const only = new Set(values.only?.split(',') ?? ALL_PARTS);
const inFlight = Number(values['in-flight'] ?? 32);
if (!Number.isInteger(inFlight) || inFlight < 1 || inFlight > 256) {
  throw new Error('--in-flight: 1 to 256');
}

// Several rounds: on a shared 2-core machine a neighbour's burst spoils one round, which the
// median then ignores. Warm-up is long because a fresh server takes 2-3 s to reach its steady
// speed (JIT): the handshake rate of one server, in 500 ms windows, climbed from ~2,100/s to
// ~5,800/s. Servers are kept warm across rounds, and their slices interleave (see
// `runHandshakeBench`), so none sits idle for long.
const HANDSHAKES = quick
  ? {
      rounds,
      concurrency: inFlight,
      warmupMs: 1_500,
      measureMs: 600,
      sliceMs: 50,
      serversPerVariant: 1,
    }
  : {
      rounds,
      concurrency: inFlight,
      warmupMs: 2_000,
      measureMs: 1_500,
      sliceMs: 50,
      serversPerVariant: 2,
    };
const MESSAGES = {
  rounds,
  connections: 100,
  warmupMs: quick ? 2_000 : 3_000,
  // Many short slices rather than a few long ones: drift of the machine that lasts a second
  // lands on every handler (3 slices of 500 ms gave an A/A control of 1.01×–1.27×).
  slices: 12,
  sliceMs: quick ? 100 : 125,
};
const MEMORY = {
  rounds: 3,
  warmupHandshakes: 5_000,
  measuredHandshakes: 20_000,
  repeatMeasured: true,
  concurrency: 32,
};
// The gate switched within one server: 150 slices of 150 ms per state in a full run.
const GATE = {
  rounds,
  concurrency: inFlight,
  warmupMs: 2_000,
  slices: quick ? 4 : 30,
  sliceMs: quick ? 100 : 150,
};
const SESSION_MEMORY = {
  rounds: 2,
  warmupSessions: 2_000,
  measuredSessions: 10_000,
  concurrency: 32,
};
const SOCKET_MEMORY = { rounds: 2, warmupConnections: 500, measuredConnections: 2_000 };
const DECISIONS = { sizes: [1, 2, 100, 10_000], rounds: 5, batchMs: 10, batchesPerRound: 3 };

// Everything planned, at its nominal length; the rest of the time limit is slack that
// re-runs of disturbed runs may use.
const TIME_LIMIT_MS = 480_000;
const groupMs = (variants: readonly unknown[]) =>
  handshakeSetupMs(variants as typeof WS_HANDSHAKE_VARIANTS, HANDSHAKES) +
  HANDSHAKES.rounds * variants.length * handshakeRunMs(HANDSHAKES);
const plannedMs =
  (only.has('ws') ? groupMs(WS_HANDSHAKE_VARIANTS) + gateBenchMs(GATE) : 0) +
  (only.has('io') ? groupMs(IO_HANDSHAKE_VARIANTS) : 0) +
  (only.has('messages') ? MESSAGES.rounds * messageRoundMs(MESSAGES) : 0) +
  (only.has('memory')
    ? MEMORY.rounds * 12_000 + SESSION_MEMORY.rounds * 16_000 + socketMemoryMs(SOCKET_MEMORY)
    : 0) +
  (only.has('decisions') ? 12_000 : 0);
// --quick: no slack, so a disturbed window is kept rather than run again.
const budget = new TimeBudget(quick ? 0 : TIME_LIMIT_MS, quick ? 0 : plannedMs);

const profileDir = values.profile ? '.bench-out/profiles' : undefined;
if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
const serverOptions: ServerOptions = {
  ...(profileDir === undefined ? {} : { profileDir }),
  pin: !values.unpinned,
};
const progress = (line: string) => console.log(`  ${line}`);
let phaseStart = performance.now();
const phase = (title: string) => {
  phaseStart = performance.now();
  console.log(title);
};
const phaseDone = () => progress(`(${((performance.now() - phaseStart) / 1000).toFixed(0)} s)`);

const began = performance.now();
const facts = machineFacts();
console.log(`Benchmarking on ${facts.cpuModel}, ${facts.cores} cores, Node ${facts.node}`);
const client = startChild('./load-process.js', 'load generator', {
  cpu: values.unpinned ? undefined : LOAD_CPU,
});
const results: Mutable<BenchResults> = {
  facts,
  seconds: 0,
  method: describeMethod(),
  handshakes: [],
  notes:
    profileDir === undefined
      ? []
      : [`profiled run (CPU profiles in ${profileDir}): the profiler slows the servers down.`],
};

/** Runs one group of handshake variants as a phase of its own, and records it. */
async function handshakeGroup(
  title: string,
  name: string,
  keys: HandshakeGroupKeys,
  variants: readonly HandshakeVariant[],
): Promise<void> {
  phase(title);
  const runs = await runHandshakeBench(
    client,
    variants,
    HANDSHAKES,
    budget,
    serverOptions,
    progress,
  );
  phaseDone();
  results.handshakes.push({ name, keys, variants, runs });
}

try {
  if (only.has('ws')) {
    await handshakeGroup('Handshakes (ws)', 'ws', WS_KEYS, WS_HANDSHAKE_VARIANTS);
    phase('The app-wide upgrade gate, switched off and on within one ws server');
    results.gate = await runGateBench(client, GATE, serverOptions, progress);
    budget.done(gateBenchMs(GATE));
    phaseDone();
  }
  if (only.has('io')) {
    await handshakeGroup(
      'Handshakes (Socket.IO: engine.io WebSocket upgrades and polling handshakes)',
      'Socket.IO',
      IO_KEYS,
      IO_HANDSHAKE_VARIANTS,
    );
  }
  if (only.has('messages')) {
    phase('Message round trips (ws)');
    results.messages = await runMessageBench(client, MESSAGES, budget, serverOptions, progress);
    phaseDone();
  }
  if (only.has('memory')) {
    phase('Server memory after refused handshakes');
    results.memory = await runMemoryBench(client, MEMORY, progress);
    budget.done(MEMORY.rounds * 12_000);
    phaseDone();
    phase('Server heap held per closed Socket.IO polling session');
    results.sessionMemory = await runSessionMemoryBench(client, SESSION_MEMORY, progress);
    budget.done(SESSION_MEMORY.rounds * 16_000);
    phaseDone();
    phase('Server heap held per connected Socket.IO socket');
    results.socketMemory = await runSocketMemoryBench(client, SOCKET_MEMORY, progress);
    budget.done(socketMemoryMs(SOCKET_MEMORY));
    phaseDone();
  }
  if (only.has('decisions')) {
    phase('Policy decisions (in-process)');
    results.decisions = runDecisionBench(DECISIONS);
    phaseDone();
  }
} finally {
  client.kill();
}

const disturbed = [
  ...results.handshakes.flatMap((g) => [...g.runs.values()].flat()),
  ...[...(results.messages?.values() ?? [])].flat(),
].filter((run) => run.otherLoadCores > BUSY_MACHINE_CORES).length;
if (disturbed > 0) {
  results.notes.push(
    `${disturbed} run(s) kept more than ${BUSY_MACHINE_CORES} cores of load from other processes ` +
      'after the re-runs the time limit allowed; see "Other processes" below.',
  );
}
results.seconds = (performance.now() - began) / 1000;
const report = renderReport(results);
console.log(`\n${report}\n`);
if (!values['no-write'] && !quick && ALL_PARTS.every((part) => only.has(part))) {
  await writeResults('BENCHMARKS.md', report);
  console.log('Written to BENCHMARKS.md.');
}
const missed = targets(results).filter(
  (t) => t.goal !== undefined && !t.met(spread(t.values).median),
).length;
console.log(missed === 0 ? 'All targets met.' : `${missed} target(s) missed: see the summary.`);

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function describeMethod(): string[] {
  return [
    `Server: a real Nest 12 app (Express platform) in its own process, ${HANDSHAKES.serversPerVariant} per handshake variant (a variant's figures sum its processes), gateway on the app's HTTP server; allowlist \`https://app.example.com\`, \`https://*.example.com\`; refused origin \`https://evil.example.org\`. The floor is a bare \`ws\` server on a Node HTTP server, without Nest.`,
    `Handshakes: a separate load-generator process keeps ${HANDSHAKES.concurrency} raw TCP handshakes in flight (connect, send a browser-like request, read the status line, close); Socket.IO: \`GET /socket.io/?EIO=4&transport=websocket\` (upgrade) and \`GET /socket.io/?EIO=4&transport=polling\` (polling handshake, answered 200 with a session id); each server warmed ${HANDSHAKES.warmupMs} ms once and kept warm across rounds; per round each variant gets ${HANDSHAKES.measureMs} ms measured, in slices of ${HANDSHAKES.sliceMs} ms shared among its servers and interleaved with all other servers' (one server loaded at a time; the order changes every cycle of slices, along the rows of a balanced Latin square, so each variant follows every other equally often), and each server's CPU time is read over the whole round, so the machine's drift lands on all variants alike; a round starts and ends once every server is idle; Socket.IO sessions time out 0.5 s after their handshake (ping interval 300 ms, timeout 200 ms), so each server pays for closing the sessions it opened within the round; ${HANDSHAKES.rounds} rounds.`,
    `Gate: one \`OriginWsAdapter\` server that takes its app-wide upgrade gate off and puts it back between slices of ${GATE.sliceMs} ms of accepted handshakes (${GATE.concurrency} in flight): per round ${GATE.slices} slices each with the gate on, off, and on again (the A/A control), in a balanced order; server CPU read before and after each slice; ${GATE.rounds} rounds.`,
    `Messages: ${MESSAGES.connections} open connections through \`OriginWsAdapter\`, one message in flight on each; handlers with ${MESSAGE_VARIANTS.map((v) => v.label).join(', ')}; per round a fresh server (the handlers alternate within it, so all share its JIT state), ${MESSAGES.warmupMs} ms warm-up, then ${MESSAGES.slices} slices of ${MESSAGES.sliceMs} ms per handler, alternating; ${MESSAGES.rounds} rounds.`,
    `Decisions: allowlists of ${DECISIONS.sizes.map(n).join(', ')} entries (1 = one \`https://*.\` wildcard; from 2 on, half exact, half wildcards); 1,024 distinct probe origins per case, more than the policy's 256-entry decision cache, so every decision parses and looks up; per round and case the fastest of ${DECISIONS.batchesPerRound} batches of ~${DECISIONS.batchMs} ms; ${DECISIONS.rounds} rounds. \`OriginPolicy.evaluate()\` finds the origin among 12 raw header lines and parses it strictly; the linear scan is handed the origin string and validates nothing.`,
    `Memory: ${n(MEMORY.warmupHandshakes)} refused handshakes to warm up, then ${n(MEMORY.measuredHandshakes)}${MEMORY.repeatMeasured ? ` and ${n(MEMORY.measuredHandshakes)} more` : ''}, each from a distinct origin; readings after a forced full GC (\`--expose-gc\`); ${MEMORY.rounds} rounds.`,
    `Heap held per closed polling session: a fresh \`IoAdapter\` and \`OriginIoAdapter\` server each, ${n(SESSION_MEMORY.warmupSessions)} polling handshakes to warm up, then ${n(SESSION_MEMORY.measuredSessions)}; each reading after the sessions have timed out and a forced full GC; the two alternate; ${SESSION_MEMORY.rounds} rounds.`,
    `Heap held per connected socket: a fresh \`IoAdapter\` and \`OriginIoAdapter\` server each (the bench gateway: three handlers on the main namespace), ${n(SOCKET_MEMORY.warmupConnections)} Socket.IO clients connected and closed to warm up, then ${n(SOCKET_MEMORY.measuredConnections)} connected (raw TCP: a WebSocket upgrade, a namespace join, pings answered) and kept while reading; readings after a forced full GC; the two alternate; ${SOCKET_MEMORY.rounds} rounds.`,
    values.unpinned
      ? 'Cores: not pinned (`--unpinned`).'
      : 'Cores: every server process pinned to core 0 and the load generator to core 1 (`taskset`, where it exists), so the scheduler never puts them on one core.',
    `Contention: CPU used by other processes is read from /proc during each measurement; a window with more than ${BUSY_MACHINE_CORES} cores of it is run again while the ${TIME_LIMIT_MS / 1000} s time limit allows, keeping the least disturbed attempt.`,
  ];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
