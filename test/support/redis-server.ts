import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './net.js';
import { isExecutable, type OptionalTool, suiteRuns, toolMissing } from './optional-tool.js';

export const REDIS_INSTALL_HINT = 'apt-get install -y redis-server';

const REDIS: OptionalTool = {
  suite: 'Redis',
  missing: 'redis-server not found',
  install: REDIS_INSTALL_HINT,
  pathVariable: 'REDIS_SERVER_PATH',
};

/** `REDIS_SERVER_PATH`, else `redis-server` on the PATH (Debian: /usr/bin/redis-server). */
function redisServerPath(): string | undefined {
  const candidates = process.env.REDIS_SERVER_PATH
    ? [process.env.REDIS_SERVER_PATH]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'].map((dir) =>
        join(dir, 'redis-server'),
      );
  return candidates.find(isExecutable);
}

/** Whether the Redis suite runs (see `suiteRuns`). */
export function redisSuiteRuns(): boolean {
  return suiteRuns(redisServerPath() !== undefined, REDIS);
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
  if (binary === undefined) throw toolMissing(REDIS);
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
