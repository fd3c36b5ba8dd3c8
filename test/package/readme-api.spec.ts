import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The README's "Public API" section names exactly what each entry point exports. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY_POINTS: Record<string, string> = {
  'nestjs-origin-guard': 'src/index.ts',
  'nestjs-origin-guard/ws': 'src/ws/index.ts',
  'nestjs-origin-guard/socket.io': 'src/socket-io/index.ts',
  'nestjs-origin-guard/testing': 'src/testing/index.ts',
};

function exportedNames(): Map<string, string[]> {
  const program = ts.createProgram(
    Object.values(ENTRY_POINTS).map((file) => `${root}${file}`),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      experimentalDecorators: true,
      noEmit: true,
    },
  );
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const [entry, file] of Object.entries(ENTRY_POINTS)) {
    const source = program.getSourceFile(`${root}${file}`)!;
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
    names.set(entry, exports.map((symbol) => symbol.name).toSorted());
  }
  return names;
}

/** The names under each entry point's bold heading in the section. */
function documentedNames(): Map<string, string[]> {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Public API'), readme.indexOf('## Recipes'));
  const names = new Map<string, string[]>();
  const parts = section.split(/\*\*`([^`]+)`\*\*/);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    // A table names one export per row, in its first column; a sentence names only exports.
    const body = parts[i + 1]!.split('See [')[0]!;
    const pattern = body.includes('\n| ') ? /^\| `(\w+)` +\|/gm : /`(\w+)`/g;
    const found = [...body.matchAll(pattern)].map((m) => m[1]!);
    names.set(parts[i]!, [...new Set(found)].toSorted());
  }
  return names;
}

describe('README public API section', () => {
  it('lists every export of every entry point, and nothing else', () => {
    expect(documentedNames()).toEqual(exportedNames());
  });
});
