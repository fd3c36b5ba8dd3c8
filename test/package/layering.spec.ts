import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers of `src/`, lowest first. Each may import only from itself and the layers below
 * it, and none of them from packages outside its concern: the policy engine stays free of Nest
 * and of Node's HTTP types, the runtime free of Nest, and only the transport entry points
 * load `ws` or `socket.io`.
 */
const LAYERS: readonly { name: string; folders: string[]; forbidden: RegExp }[] = [
  { name: 'constants', folders: ['constants.ts'], forbidden: /./ },
  {
    name: 'policy',
    folders: ['policy'],
    forbidden: /^(@nestjs\/|node:(http|https|net|stream|tls)$|ws$|socket\.io|engine\.io)/,
  },
  { name: 'runtime', folders: ['runtime'], forbidden: /^(@nestjs\/|ws$|socket\.io|engine\.io)/ },
  { name: 'nest', folders: ['nest'], forbidden: /^(@nestjs\/platform-|ws$|socket\.io|engine\.io)/ },
  { name: 'transports', folders: ['ws', 'socket-io'], forbidden: /^$/ },
  // The probe talks to endpoints over raw sockets: no Nest, no socket library.
  {
    name: 'tools',
    folders: ['probe', 'testing', 'cli.ts'],
    forbidden: /^(@nestjs\/|ws$|socket\.io|engine\.io)/,
  },
];

const TRANSPORTS = LAYERS.findIndex((layer) => layer.name === 'transports');
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = text.matchAll(
    /(?:import|export)\s[^'"]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)|import\s+'([^']+)'/g,
  );
  return [...found].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The layer index of a file under `src/`, by its first path segment. */
function layerOf(file: string): number {
  const first = relative(SRC, file).split(/[\\/]/)[0]!;
  if (first === 'index.ts') return LAYERS.length;
  const index = LAYERS.findIndex((layer) => layer.folders.includes(first));
  if (index === -1) throw new Error(`${relative(SRC, file)} is in no layer`);
  return index;
}

describe('layering of src/', () => {
  const files = sourceFiles(SRC);

  it('puts every source file in a layer', () => {
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) expect(() => layerOf(file)).not.toThrow();
  });

  it('imports only downward, and transports never from each other', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const specifier of imports(file)) {
        if (!specifier.startsWith('.')) continue;
        const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
        const to = layerOf(target);
        const sameFolder =
          relative(SRC, file).split(/[\\/]/)[0] === relative(SRC, target).split(/[\\/]/)[0];
        const transportToTransport = from === TRANSPORTS && to === from && !sameFolder;
        const rootToTransport = from === LAYERS.length && to >= TRANSPORTS;
        if (to > from || transportToTransport || rootToTransport) {
          upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps each layer free of the packages outside its concern', () => {
    const leaks: string[] = [];
    for (const file of files) {
      const layer = LAYERS[layerOf(file)];
      if (layer === undefined) continue;
      for (const specifier of imports(file)) {
        if (!specifier.startsWith('.') && layer.forbidden.test(specifier)) {
          leaks.push(`${relative(SRC, file)} imports ${specifier}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('catches an upward import (the check itself works)', () => {
    const policyFile = join(SRC, 'policy/origin-policy.ts');
    const runtimeTarget = resolve(dirname(policyFile), '../runtime/maybe-async.ts');
    expect(layerOf(runtimeTarget)).toBeGreaterThan(layerOf(policyFile));
    expect(imports(join(SRC, 'ws/origin-ws.adapter.ts'))).toContain('@nestjs/platform-ws');
  });
});
