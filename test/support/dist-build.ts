import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
export const DIST = join(ROOT, 'dist');

/** The package's source files: what `npm run build` compiles into dist/. */
export function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .map((path) => join(SRC, path))
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.spec.ts') && statSync(path).isFile())
    .toSorted();
}

/** Whether dist/ is missing or older than a source file or the build config. */
export function distIsStale(): boolean {
  const built = [join(DIST, 'index.js'), join(DIST, 'cli.js')];
  if (!built.every((file) => existsSync(file))) return true;
  const builtAt = Math.min(...built.map((file) => statSync(file).mtimeMs));
  return [...sourceFiles(), join(ROOT, 'tsconfig.build.json')].some(
    (file) => statSync(file).mtimeMs > builtAt,
  );
}

/** Builds dist/ when it is stale, so specs that run the built package test the current code. */
export function ensureBuilt(): void {
  if (!distIsStale()) return;
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed, so dist/ is stale:\n${stdout}${stderr}`, {
      cause: error,
    });
  }
}
