import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const SOCKET_IO_PACKAGES = /^(socket\.io|engine\.io|@nestjs\/platform-socket\.io)(\/|$)/;

/**
 * The packages a module loads at run time, following its relative imports. Type-only imports
 * are left out: TypeScript erases them.
 */
function runtimePackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(
      /^\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm,
    )) {
      const [, typeOnly, specifier] = match as unknown as [string, string | undefined, string];
      if (typeOnly !== undefined) continue;
      if (specifier.startsWith('.'))
        visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(resolve(SRC, entry));
  return packages;
}

describe('Entry points', () => {
  it('the package root never loads socket.io', () => {
    const loaded = [...runtimePackages('index.ts')];
    expect(loaded).toContain('@nestjs/common');
    expect(loaded.filter((name) => SOCKET_IO_PACKAGES.test(name))).toEqual([]);
  });

  it('nestjs-origin-guard/socket.io does (the check above can see it)', () => {
    const loaded = [...runtimePackages('socket-io/index.ts')];
    expect(loaded.filter((name) => SOCKET_IO_PACKAGES.test(name))).toEqual([
      '@nestjs/platform-socket.io',
    ]);
  });
});
