// Node module hooks that let a plain `node` child process run this repository's TypeScript
// (test servers that import `src/` directly), registered by `ts-register.mjs`.
//
// Why not tsx or Node's type stripping: Nest injects constructor dependencies by their
// `design:paramtypes` metadata, which only TypeScript's own emitter (and vitest's transform,
// configured for it in vitest.config.ts) writes; esbuild-based runners drop it, and type
// stripping rejects decorators. `ts.transpileModule` is the compiler `npm run build` uses, with
// the compiler options of tsconfig.json, so the child runs the code as it is shipped, without
// a build step or a `dist/` that might be stale.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function compilerOptions() {
  const configPath = join(root, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (error !== undefined)
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options, errors } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
  if (errors.length > 0) {
    throw new Error(
      errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('\n'),
    );
  }
  return {
    ...options,
    // ESM out, as Node loads it; one file at a time, with inline source maps for stack traces.
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: false,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: true,
    // Source map paths then name the file itself, not a place under `dist/`.
    outDir: undefined,
    rootDir: undefined,
  };
}

const options = compilerOptions();

/** `./x.js` written in a `.ts` file names `./x.ts` (the `nodenext` convention). */
export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (
    parent?.startsWith('file:') &&
    parent.endsWith('.ts') &&
    (specifier.startsWith('./') || specifier.startsWith('../')) &&
    specifier.endsWith('.js')
  ) {
    const candidate = new URL(`${specifier.slice(0, -3)}.ts`, parent);
    if (
      existsSync(fileURLToPath(candidate)) &&
      !existsSync(fileURLToPath(new URL(specifier, parent)))
    ) {
      return { url: candidate.href, format: 'module', shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const { outputText, diagnostics } = ts.transpileModule(readFileSync(fileName, 'utf8'), {
    fileName,
    compilerOptions: options,
    reportDiagnostics: true,
  });
  if (diagnostics !== undefined && diagnostics.length > 0) {
    const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    throw new Error(`${fileName}: ${text.join('\n')}`);
  }
  return { format: 'module', source: outputText, shortCircuit: true };
}
