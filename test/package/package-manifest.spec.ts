import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sourceFiles } from '../support/dist-build.js';

// What package.json promises a consumer, checked against the sources, the built dist/ and the
// file list `npm pack` would publish. Needs dist/: builds it once when it is missing or older
// than src/ (CI has just built it, so there it costs nothing).

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

interface PackageJson {
  name: string;
  type?: string;
  main?: string;
  types?: string;
  files?: string[];
  engines?: Record<string, string>;
  exports?: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const dependencies = Object.keys(pkg.dependencies ?? {});
const peers = Object.keys(pkg.peerDependencies ?? {});
const optionalPeers = peers.filter((name) => pkg.peerDependenciesMeta?.[name]?.optional === true);
const declared = new Set([...dependencies, ...peers]);

const TRANSPORTS = ['@nestjs/platform-ws', '@nestjs/platform-socket.io', 'ws', 'socket.io'];
/** Every peer: what the probe (bin and `/testing`) must load none of. */
const NEST_AND_TRANSPORTS = [...peers];

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => join(dir, path))
    .filter((path) => statSync(path).isFile() && keep(path))
    .toSorted();
}

/** Every module specifier a file imports or re-exports, type-only ones included. */
function specifiers(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((imported) => imported.fileName);
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative and node:. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function packagesImportedBy(files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of files)
    for (const specifier of specifiers(file)) {
      const name = packageOf(specifier);
      if (name !== undefined) names.add(name);
    }
  return [...names].toSorted();
}

/** The packages a built entry point loads at run time, following its relative imports. */
function runtimePackagesOf(entry: string): string[] {
  const seen = new Set<string>();
  const names = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of specifiers(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else {
        const name = packageOf(specifier);
        if (name !== undefined) names.add(name);
      }
    }
  };
  visit(join(ROOT, entry));
  return [...names].toSorted();
}

/** The files `npm pack` would put in the tarball, as paths relative to the package root. */
function tarballFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [packed] = JSON.parse(out) as [{ files: { path: string }[] }];
  return packed.files.map((file) => file.path).toSorted();
}

// A resolve hook that makes packages unresolvable, as if they were not installed. `scoped`
// names are refused only to importers inside dist/ (Socket.IO itself needs `ws`).
const BLOCKING_HOOK = `
let blocked = new Set();
let scoped = new Set();
let dist = '';
export function initialize(data) {
  blocked = new Set(data.blocked);
  scoped = new Set(data.scoped);
  dist = data.dist;
}
export async function resolve(specifier, context, next) {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (blocked.has(name) || (scoped.has(name) && context.parentURL?.startsWith(dist))) {
    const error = new Error("Cannot find package '" + name + "' (made unresolvable by the test)");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
`;

interface LoadResult {
  readonly loaded: boolean;
  readonly exportType?: string;
  readonly code?: string;
  readonly message?: string;
}

/** Imports `specifier` in a fresh Node process in which the `blocked` packages do not exist. */
async function loadWithout(
  specifier: string,
  exportName: string,
  blocked: readonly string[],
  scoped: readonly string[] = [],
): Promise<LoadResult> {
  const data = { blocked, scoped, dist: pathToFileURL(DIST).href + '/' };
  const script = `
    import { register } from 'node:module';
    register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(BLOCKING_HOOK)}`)}, {
      data: ${JSON.stringify(data)},
    });
    try {
      const entry = await import(${JSON.stringify(specifier)});
      console.log(JSON.stringify({ loaded: true, exportType: typeof entry[${JSON.stringify(exportName)}] }));
    } catch (error) {
      console.log(JSON.stringify({ loaded: false, code: error.code, message: error.message }));
    }
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as LoadResult;
}

beforeAll(ensureBuilt, 60_000);

describe('package.json dependencies', () => {
  it('declares every package src/ imports, in dependencies or peerDependencies', () => {
    const imported = packagesImportedBy(sourceFiles());
    expect(imported).toContain('@nestjs/common');
    expect(imported.filter((name) => !declared.has(name))).toEqual([]);
  });

  it('has as dependencies exactly the imported packages that are not peers', () => {
    const imported = packagesImportedBy(sourceFiles());
    expect(dependencies.toSorted()).toEqual(imported.filter((name) => !peers.includes(name)));
  });

  it('requires Nest and its runtime as peers; the transports and @types/ws are optional', () => {
    expect(peers.filter((name) => !optionalPeers.includes(name)).toSorted()).toEqual([
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/websockets',
      'reflect-metadata',
      'rxjs',
    ]);
    expect(optionalPeers.toSorted()).toEqual([...TRANSPORTS, '@types/ws'].toSorted());
    expect(Object.keys(pkg.peerDependenciesMeta ?? {}).toSorted()).toEqual(
      optionalPeers.toSorted(),
    );
    expect(dependencies.filter((name) => peers.includes(name))).toEqual([]);
  });

  it('declares every package a shipped .d.ts imports, with a source of types for it', () => {
    const imported = packagesImportedBy(filesUnder(DIST, (path) => path.endsWith('.d.ts')));
    expect(imported).toContain('ws');
    expect(imported.filter((name) => !declared.has(name))).toEqual([]);
    // Where a consumer's TypeScript finds each one's types: in the package itself, or in an
    // @types package, which must then be declared too (consumers do not have our devDependencies).
    const options = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
    };
    const untyped = imported.filter((name) => {
      const resolved = ts.resolveModuleName(
        name,
        join(DIST, 'index.d.ts'),
        options,
        ts.sys,
        undefined,
        undefined,
        ts.ModuleKind.ESNext,
      ).resolvedModule;
      if (resolved === undefined || !/\.d\.[cm]?ts$/.test(resolved.resolvedFileName)) return true;
      const typesPackage = /\/node_modules\/(@types\/[^/]+)\//.exec(resolved.resolvedFileName)?.[1];
      return typesPackage !== undefined && !declared.has(typesPackage);
    });
    expect(untyped).toEqual([]);
  });
});

describe('package.json entry points', () => {
  it('is ESM-only with types and default for each entry point, and exports package.json', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.exports).toEqual({
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './ws': { types: './dist/ws/index.d.ts', default: './dist/ws/index.js' },
      './socket.io': { types: './dist/socket-io/index.d.ts', default: './dist/socket-io/index.js' },
      './testing': { types: './dist/testing/index.d.ts', default: './dist/testing/index.js' },
      './package.json': './package.json',
    });
    // `types` must come first: resolvers take the first condition that matches.
    expect(
      Object.entries(pkg.exports ?? {}).map(([entry, target]) => [
        entry,
        typeof target === 'object' && target !== null ? Object.keys(target) : target,
      ]),
    ).toEqual([
      ['.', ['types', 'default']],
      ['./ws', ['types', 'default']],
      ['./socket.io', ['types', 'default']],
      ['./testing', ['types', 'default']],
      ['./package.json', './package.json'],
    ]);
    expect([pkg.main, pkg.types]).toEqual(['./dist/index.js', './dist/index.d.ts']);
    expect(pkg.engines).toEqual({ node: '>=20.19' });
  });

  it('maps each subpath entry point for moduleResolution node10, which ignores exports', () => {
    // node10 reads `types` for the root and `typesVersions` for `nestjs-origin-guard/<sub>`.
    const subpaths = Object.entries(pkg.exports ?? {}).flatMap(([entry, target]) =>
      entry === '.' || typeof target !== 'object'
        ? []
        : [[entry.slice(2), [(target as { types: string }).types]] as const],
    );
    expect(pkg.typesVersions).toEqual({ '*': Object.fromEntries(subpaths) });
  });

  it('builds every entry point from a source file', () => {
    const targets = Object.values(pkg.exports ?? {})
      .filter((target): target is { default: string } => typeof target === 'object')
      .map((target) => target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
    expect(targets).toEqual([
      'src/index.ts',
      'src/ws/index.ts',
      'src/socket-io/index.ts',
      'src/testing/index.ts',
    ]);
    expect(targets.filter((source) => !existsSync(join(ROOT, source)))).toEqual([]);
  });

  it('has one bin, nestjs-origin-guard, built from src/cli.ts and runnable as a script', () => {
    expect(pkg.bin).toEqual({ 'nestjs-origin-guard': './dist/cli.js' });
    expect(existsSync(join(SRC, 'cli.ts'))).toBe(true);
    expect(readFileSync(join(DIST, 'cli.js'), 'utf8').split('\n', 1)[0]).toBe(
      '#!/usr/bin/env node',
    );
  });
});

describe('the tarball', () => {
  let files: string[];
  beforeAll(() => {
    files = tarballFiles();
  }, 30_000);

  it('whitelists dist and the docs', () => {
    const docs = (pkg.files ?? []).filter((entry) => entry !== 'dist');
    expect(pkg.files).toContain('dist');
    expect(docs).toContain('README.md');
    expect(docs.filter((entry) => !/^[A-Z]+\.md$|^LICENSE$/.test(entry))).toEqual([]);
    expect(files.filter((path) => !path.startsWith('dist/'))).toEqual(
      [...docs, 'package.json'].toSorted(),
    );
  });

  it('ships no test, demo, bench or source code', () => {
    expect(
      files.filter(
        (path) =>
          /(^|\/)(test|demo|bench|src|scripts)\//.test(path) ||
          /\.(spec|test|e2e)\./.test(path) ||
          /\.tsbuildinfo$|^dist-/.test(path),
      ),
    ).toEqual([]);
  });

  it('ships one module and one declaration file per source file, and nothing else in dist', () => {
    const expected = sourceFiles().flatMap((source) => {
      const base = relative(SRC, source).replace(/\.ts$/, '');
      return [`dist/${base}.d.ts`, `dist/${base}.js`, `dist/${base}.js.map`];
    });
    expect(files.filter((path) => path.startsWith('dist/'))).toEqual(expected.toSorted());
  });

  it('contains the bin', () => {
    expect(files).toContain('dist/cli.js');
  });

  it('contains every exports target', () => {
    const targets = Object.values(pkg.exports ?? {}).flatMap((target) =>
      typeof target === 'string' ? [target] : Object.values(target as Record<string, string>),
    );
    expect(
      targets.map((target) => target.replace(/^\.\//, '')).filter((t) => !files.includes(t)),
    ).toEqual([]);
  });
});

describe('entry points and transports', () => {
  it('the built root imports no transport, directly or through its own modules', () => {
    const loaded = runtimePackagesOf('dist/index.js');
    expect(loaded).toContain('@nestjs/core');
    expect(loaded.filter((name) => optionalPeers.includes(name))).toEqual([]);
  });

  it('each built transport entry imports its own transport and not the other', () => {
    expect(
      runtimePackagesOf('dist/ws/index.js').filter((name) => optionalPeers.includes(name)),
    ).toEqual(['@nestjs/platform-ws']);
    expect(
      runtimePackagesOf('dist/socket-io/index.js').filter((name) => optionalPeers.includes(name)),
    ).toEqual(['@nestjs/platform-socket.io']);
  });

  it('the bin and the testing entry import only node built-ins and tldts, never Nest', () => {
    expect(runtimePackagesOf('dist/cli.js')).toEqual(['tldts']);
    expect(runtimePackagesOf('dist/testing/index.js')).toEqual(['tldts']);
  });

  it('nestjs-origin-guard/testing loads with neither Nest nor a transport installed', async () => {
    expect(
      await loadWithout('nestjs-origin-guard/testing', 'probeOrigins', NEST_AND_TRANSPORTS),
    ).toEqual({ loaded: true, exportType: 'function' });
  });

  it('the root loads with no transport installed', async () => {
    expect(await loadWithout('nestjs-origin-guard', 'OriginGuardModule', TRANSPORTS)).toEqual({
      loaded: true,
      exportType: 'function',
    });
  });

  it('nestjs-origin-guard/ws loads without Socket.IO installed', async () => {
    expect(
      await loadWithout('nestjs-origin-guard/ws', 'OriginWsAdapter', [
        '@nestjs/platform-socket.io',
        'socket.io',
      ]),
    ).toEqual({ loaded: true, exportType: 'function' });
  });

  it('nestjs-origin-guard/socket.io loads without @nestjs/platform-ws, never importing ws itself', async () => {
    expect(
      await loadWithout(
        'nestjs-origin-guard/socket.io',
        'OriginIoAdapter',
        ['@nestjs/platform-ws'],
        ['ws'],
      ),
    ).toEqual({ loaded: true, exportType: 'function' });
  });

  it('a transport entry without its transport fails on that package (the check can see it)', async () => {
    expect(await loadWithout('nestjs-origin-guard/ws', 'OriginWsAdapter', TRANSPORTS)).toEqual({
      loaded: false,
      code: 'ERR_MODULE_NOT_FOUND',
      message: "Cannot find package '@nestjs/platform-ws' (made unresolvable by the test)",
    });
    expect(
      await loadWithout('nestjs-origin-guard/socket.io', 'OriginIoAdapter', TRANSPORTS),
    ).toEqual({
      loaded: false,
      code: 'ERR_MODULE_NOT_FOUND',
      message: "Cannot find package '@nestjs/platform-socket.io' (made unresolvable by the test)",
    });
  });
});
