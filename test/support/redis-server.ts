import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './net.js';

export const REDIS_INSTALL_HINT = 'apt-get install -y redis-server';

/** `REDIS_SERVER_PATH`, else `redis-server` on the PATH (Debian: /usr/bin/redis-server). */
function redisServerPath(): string | undefined {
  const candidates = process.env.REDIS_SERVER_PATH
    ? [process.env.REDIS_SERVER_PATH]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'].map((dir) =>
        join(dir, 'redis-server'),
      );
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Whether the Redis suite runs. On a developer machine without `redis-server` it is skipped,
 * with one console line saying how to enable it. Under `CI=true` it always runs, so a missing
 * server fails the run (in `startRedis`) instead of passing with nothing tested.
 */
export function redisSuiteRuns(): boolean {
  if (redisServerPath() !== undefined || process.env.CI === 'true') return true;
  console.warn(
    `Redis suite skipped: redis-server not found (install: ${REDIS_INSTALL_HINT}, or set REDIS_SERVER_PATH)`,
  );
  return false;
}

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway `redis-server` on a free loopback port: no persistence, its working directory a
 * temporary one, stopped (by its own handle) and removed by `stop()`.
 */
export async function startRedis(): Promise<RedisServer> {
  const binary = redisServerPath();
  if (binary === undefined) {
    throw new Error(
      `redis-server not found, and CI=true requires the Redis suite to run (install: ${REDIS_INSTALL_HINT}, or set REDIS_SERVER_PATH).`,
    );
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'origin-guard-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Ready to accept connections')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)),
      );
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
