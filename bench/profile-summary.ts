import { readFileSync } from 'node:fs';

/**
 * Reads a V8 `.cpuprofile` (from `npm run bench -- --profile`) and prints where the time
 * went: self time per function, and total (inclusive) time of the functions matching an
 * optional pattern, and the share of time owned by code whose URL matches it (each sample goes
 * to the nearest JavaScript frame on its stack, so native work such as a regular expression
 * counts for the function that ran it, and a library called from that code counts for the
 * library). Usage:
 *   node dist-bench/bench/profile-summary.js <file.cpuprofile> [top=25] [pattern]
 */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, topText = '25', pattern] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: profile-summary <file.cpuprofile> [top] [pattern]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idleUs = sumWhere((node) => ['(idle)', '(program)'].includes(node.callFrame.functionName));

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where =
    url === ''
      ? ''
      : ` ${url.replace(/^.*\/(node_modules|dist-bench)\//, '$1/')}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${where}`;
}

function sumWhere(predicate: (node: ProfileNode) => boolean): number {
  let sum = 0;
  for (const [id, us] of selfUs) if (predicate(byId.get(id)!)) sum += us;
  return sum;
}

const selfByLabel = new Map<string, number>();
for (const [id, us] of selfUs) {
  const key = label(byId.get(id)!);
  selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + us);
}
const busyUs = totalUs - idleUs;
const pct = (us: number) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%`;

/** The `topText` keys with the most time, most first. */
function printTop(usByKey: ReadonlyMap<string, number>): void {
  for (const [key, us] of [...usByKey].toSorted((a, b) => b[1] - a[1]).slice(0, Number(topText))) {
    console.log(`${pct(us)}  ${key}`);
  }
}
console.log(
  `${file}: ${(totalUs / 1e6).toFixed(2)} s sampled, ${(busyUs / 1e6).toFixed(2)} s busy (percentages are of busy time)`,
);
console.log('\nSelf time:');
printTop(selfByLabel);

if (pattern !== undefined) {
  // Inclusive time: a sample counts once for a function if it appears anywhere on its stack.
  const regex = new RegExp(pattern);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = label(byId.get(at)!);
      if (regex.test(key) && !seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + us);
      }
    }
  }
  console.log(`\nTotal (inclusive) time of functions matching /${pattern}/:`);
  printTop(inclusive);
}

if (pattern !== undefined) {
  const regex = new RegExp(pattern);
  let owned = 0;
  for (const [id, us] of selfUs) {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url } = byId.get(at)!.callFrame;
      if (url === '') continue;
      if (regex.test(url)) owned += us;
      break;
    }
  }
  console.log(`\nOwned by code whose URL matches /${pattern}/: ${pct(owned)} of busy time`);
}
