// Installs the packed tarball into throwaway Nest 12 apps outside the repo and uses it the way
// a consumer would: one app over ws (no Socket.IO installed), one over Socket.IO (no
// @nestjs/platform-ws installed). Each boots on an ephemeral loopback port and must refuse a
// cross-site handshake with exactly `HTTP/1.1 403 Forbidden` and accept an allowed one; then a
// CommonJS file require()s the package (require(esm), Node >= 20.19) and a strict TypeScript
// consumer type-checks against the shipped declarations. The ws app also runs the packed bin,
// `nestjs-origin-guard probe`, against itself.
//
// Usage: npm run smoke (after npm run build; builds first when dist/ is missing).
// SMOKE_VERSIONS='{"@nestjs/core":"12.0.0"}' overrides the versions installed (default: the
// repo's lockfile); SMOKE_KEEP=1 keeps the temp dirs for inspection.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const started = Date.now();
let failures = 0;

function pass(label) {
  console.log(`PASS ${label}`);
}
function fail(label, detail) {
  failures++;
  console.log(
    `FAIL ${label}${detail ? `\n     ${String(detail).replaceAll('\n', '\n     ')}` : ''}`,
  );
}

/** Runs a command; resolves with its output, never rejects (the caller judges the exit code). */
function run(file, args, options = {}) {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: 180_000, ...options },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function lockedVersions() {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const overrides = JSON.parse(process.env.SMOKE_VERSIONS ?? '{}');
  return (name) => {
    const version = overrides[name] ?? lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`${name} is not in package-lock.json`);
    return `${name}@${version}`;
  };
}

// The packed bin, as npm linked it, probing the app it runs in: every hostile variant refused.
const PROBE_BIN_CHECK = `
const { execFile } = await import('node:child_process');
const probed = await new Promise((resolve) =>
  execFile(
    'node_modules/.bin/nestjs-origin-guard',
    ['probe', 'ws://127.0.0.1:' + port + '/ws', '--allowed', 'https://app.example.com', '--json'],
    { timeout: 60_000 },
    (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }),
  ),
);
let probeReport;
try {
  probeReport = JSON.parse(probed.stdout);
} catch {
  probeReport = undefined;
}
if (probed.code === 0 && probeReport?.outcome === 'safe') {
  console.log('PASS ws: the packed bin: nestjs-origin-guard probe -> exit 0, ' + probeReport.summary);
} else {
  failed = true;
  console.log('FAIL ws: the packed bin exited ' + probed.code + ': ' + (probeReport?.summary ?? probed.stderr));
}
`;

const GATEWAY_APP = (transport) => `
import 'reflect-metadata';
import { connect } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { OriginGuardModule } from 'nestjs-origin-guard';
${
  transport === 'ws'
    ? "import { OriginWsAdapter as Adapter } from 'nestjs-origin-guard/ws';"
    : "import { OriginIoAdapter as Adapter } from 'nestjs-origin-guard/socket.io';"
}

// Decorators applied by hand: plain JavaScript, no TypeScript in this app.
class EchoGateway {
  echo(data) {
    return { event: 'echo', data };
  }
}
SubscribeMessage('echo')(
  EchoGateway.prototype,
  'echo',
  Object.getOwnPropertyDescriptor(EchoGateway.prototype, 'echo'),
);
WebSocketGateway(${transport === 'ws' ? "{ path: '/ws' }" : ''})(EchoGateway);

class AppModule {}
Module({
  imports: [OriginGuardModule.forRoot({ allowedOrigins: ['https://app.example.com'] })],
  providers: [EchoGateway],
})(AppModule);

const app = await NestFactory.create(AppModule, { logger: false });
app.useWebSocketAdapter(new Adapter(app));
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();

/** Sends one raw HTTP request and returns the first line of the answer. */
function statusLine(lines) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 10s; got ' + JSON.stringify(raw)));
    }, 10_000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      raw += chunk;
      if (raw.includes('\\r\\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(raw.slice(0, raw.indexOf('\\r\\n')));
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write([...lines, 'Host: 127.0.0.1:' + port, '', ''].join('\\r\\n'));
  });
}

const request = (origin) =>
  ${
    transport === 'ws'
      ? `[
    'GET /ws HTTP/1.1',
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Origin: ' + origin,
  ]`
      : `['GET /socket.io/?EIO=4&transport=polling HTTP/1.1', 'Origin: ' + origin]`
  };
const checks = [
  ['refused origin https://evil.example', 'https://evil.example', 'HTTP/1.1 403 Forbidden'],
  ${
    transport === 'ws'
      ? "['allowed origin https://app.example.com', 'https://app.example.com', 'HTTP/1.1 101 Switching Protocols'],"
      : "['allowed origin https://app.example.com (polling handshake)', 'https://app.example.com', 'HTTP/1.1 200 OK'],"
  }
];
let failed = false;
for (const [label, origin, expected] of checks) {
  try {
    const line = await statusLine(request(origin));
    if (line === expected) console.log('PASS ${transport}: ' + label + ' -> ' + line);
    else {
      failed = true;
      console.log('FAIL ${transport}: ' + label + ' -> ' + JSON.stringify(line) + ', expected ' + expected);
    }
  } catch (error) {
    failed = true;
    console.log('FAIL ${transport}: ' + label + ' -> ' + error.message);
  }
}
${transport === 'ws' ? PROBE_BIN_CHECK : ''}
await app.close();
process.exit(failed ? 1 : 0);
`;

const REQUIRE_CHECK = (label, entry, name) => `{
  const entry = require('${entry}');
  if (typeof entry.${name} !== 'function') {
    console.log("FAIL ${label}: require('${entry}').${name} is " + typeof entry.${name});
    process.exit(1);
  }
  console.log("PASS ${label}: require('${entry}') from a .cjs file: ${name} is a function");
}
`;

// A strict consumer: skipLibCheck off, so errors in the shipped .d.ts files are reported.
const TSCONFIG = JSON.stringify({
  compilerOptions: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'ES2023',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
  },
  files: ['consumer.ts'],
});

// An old toolchain: node10 resolution ignores `exports`, so the subpaths come from typesVersions.
// TypeScript 6 deprecates node10 (TS5107) but still resolves with it.
const TSCONFIG_NODE10 = JSON.stringify({
  compilerOptions: {
    module: 'commonjs',
    moduleResolution: 'node10',
    ignoreDeprecations: '6.0',
    target: 'ES2022',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
  },
  files: ['consumer-node10.ts'],
});

const TS_CONSUMER_NODE10 = (entry, name) => `
import { OriginGuardModule } from 'nestjs-origin-guard';
import { ${name} } from '${entry}';
import { probeOrigins } from 'nestjs-origin-guard/testing';

export const resolved: unknown[] = [OriginGuardModule, ${name}, probeOrigins];
`;

const TS_CONSUMER = {
  ws: `
import { OriginGuardModule, type OriginGuardModuleOptions } from 'nestjs-origin-guard';
import { OriginWsAdapter } from 'nestjs-origin-guard/ws';
import { probeOrigins, type ProbeReport } from 'nestjs-origin-guard/testing';
import type { WebSocketServer } from 'ws';

const options: OriginGuardModuleOptions = { allowedOrigins: ['https://app.example.com'] };
export const module = OriginGuardModule.forRoot(options);
export const create: (adapter: OriginWsAdapter) => WebSocketServer = (adapter) =>
  adapter.create(0, { path: '/ws' });
export const probe: Promise<ProbeReport['accepted']> = probeOrigins('ws://127.0.0.1:1/ws', {
  allowed: ['https://app.example.com'],
}).then((report) => report.accepted);
`,
  'socket.io': `
import { OriginGuardModule, type OriginGuardModuleOptions } from 'nestjs-origin-guard';
import { OriginIoAdapter, withOriginCheck } from 'nestjs-origin-guard/socket.io';
import { IoAdapter } from '@nestjs/platform-socket.io';

const options: OriginGuardModuleOptions = { allowedOrigins: ['https://app.example.com'] };
export const module = OriginGuardModule.forRoot(options);
export const Adapters: unknown[] = [OriginIoAdapter, withOriginCheck(IoAdapter)];
`,
};

async function consumer(work, tarball, transport, version) {
  const dir = join(work, `consumer-${transport}`);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `smoke-${transport}`, private: true, type: 'module' }),
  );
  const transportPackages =
    transport === 'ws'
      ? ['@nestjs/platform-ws', 'ws', '@types/ws']
      : ['@nestjs/platform-socket.io', 'socket.io'];
  const packages = [
    '@nestjs/common',
    '@nestjs/core',
    '@nestjs/websockets',
    '@nestjs/platform-express',
    'reflect-metadata',
    'rxjs',
    ...transportPackages,
    'typescript',
    '@types/node',
  ].map(version);
  const installed = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...packages],
    { cwd: dir },
  );
  if (installed.code !== 0) {
    fail(`${transport}: npm install`, installed.stderr);
    return;
  }
  pass(`${transport}: installed the tarball with ${packages.join(' ')}`);

  // The other transport must really be absent, so booting proves it is not needed.
  const absent =
    transport === 'ws' ? ['@nestjs/platform-socket.io', 'socket.io'] : ['@nestjs/platform-ws'];
  const present = absent.filter((name) => existsSync(join(dir, 'node_modules', name)));
  if (present.length === 0) pass(`${transport}: not installed: ${absent.join(', ')}`);
  else fail(`${transport}: expected not installed: ${present.join(', ')}`);

  writeFileSync(join(dir, 'app.mjs'), GATEWAY_APP(transport));
  const booted = await run('node', ['app.mjs'], { cwd: dir, timeout: 60_000 });
  process.stdout.write(booted.stdout);
  if (booted.code !== 0) fail(`${transport}: app exited with ${booted.code}`, booted.stderr);

  const [entry, exported] =
    transport === 'ws'
      ? ['nestjs-origin-guard/ws', 'OriginWsAdapter']
      : ['nestjs-origin-guard/socket.io', 'OriginIoAdapter'];
  writeFileSync(
    join(dir, 'require.cjs'),
    REQUIRE_CHECK(transport, 'nestjs-origin-guard', 'OriginGuardModule') +
      REQUIRE_CHECK(transport, entry, exported),
  );
  const required = await run('node', ['require.cjs'], { cwd: dir });
  process.stdout.write(required.stdout);
  if (required.code !== 0) fail(`${transport}: require() from CommonJS`, required.stderr);

  if (transport === 'ws') {
    // Importing the Socket.IO entry in a ws app fails on the missing peer, by name.
    const wrong = await run(
      'node',
      ['--input-type=module', '-e', "await import('nestjs-origin-guard/socket.io')"],
      { cwd: dir },
    );
    if (wrong.code !== 0 && /Cannot find package '@nestjs\/platform-socket\.io'/.test(wrong.stderr))
      pass(
        "ws: import('nestjs-origin-guard/socket.io') fails: Cannot find package '@nestjs/platform-socket.io'",
      );
    else fail('ws: importing the Socket.IO entry without Socket.IO', wrong.stderr || 'it loaded');
  }

  writeFileSync(join(dir, 'tsconfig.json'), TSCONFIG);
  writeFileSync(join(dir, 'consumer.ts'), TS_CONSUMER[transport]);
  const typed = await run(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: dir });
  if (typed.code === 0)
    pass(`${transport}: tsc (nodenext, strict, skipLibCheck false) type-checks a consumer`);
  else fail(`${transport}: tsc on a consumer`, typed.stdout + typed.stderr);

  writeFileSync(join(dir, 'tsconfig.node10.json'), TSCONFIG_NODE10);
  writeFileSync(join(dir, 'consumer-node10.ts'), TS_CONSUMER_NODE10(entry, exported));
  const old = await run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.node10.json'], {
    cwd: dir,
  });
  if (old.code === 0)
    pass(
      `${transport}: tsc (moduleResolution node10) sees nestjs-origin-guard, ${entry} and /testing`,
    );
  else fail(`${transport}: tsc with moduleResolution node10`, old.stdout + old.stderr);
}

// The Nest docs' RedisIoAdapter (docs.nestjs.com/websockets/adapter), as written there but for
// the `!` strict mode needs, wrapped by withOriginCheck.
const REDIS_CONSUMER = `
import { IoAdapter } from '@nestjs/platform-socket.io';
import { ServerOptions } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { withOriginCheck } from 'nestjs-origin-guard/socket.io';

export class RedisIoAdapter extends IoAdapter {
  private adapterConstructor!: ReturnType<typeof createAdapter>;

  async connectToRedis(): Promise<void> {
    const pubClient = createClient({ url: \`redis://localhost:6379\` });
    const subClient = pubClient.duplicate();

    await Promise.all([pubClient.connect(), subClient.connect()]);

    this.adapterConstructor = createAdapter(pubClient, subClient);
  }

  createIOServer(port: number, options?: ServerOptions): any {
    const server = super.createIOServer(port, options);
    server.adapter(this.adapterConstructor);
    return server;
  }
}

export const OriginRedisIoAdapter = withOriginCheck(RedisIoAdapter);
`;

/**
 * The README's Socket.IO version rule, checked: with the app's socket.io a patch away from the
 * one @nestjs/platform-socket.io pins, npm installs two copies and the docs' RedisIoAdapter
 * itself fails to type-check (TS2416, in the app's own class: no typing of ours can fix it);
 * with \`"overrides": { "socket.io": "$socket.io" }\` there is one copy and it type-checks.
 */
async function redisConsumer(work, tarball, version) {
  const dir = join(work, 'consumer-socket.io-redis');
  mkdirSync(dir);
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const pinned = lock.packages['node_modules/@nestjs/platform-socket.io'].dependencies['socket.io'];
  const [major, minor, patch] = pinned.split('.').map(Number);
  const other = `${major}.${minor}.${patch === 0 ? 1 : patch - 1}`;
  const manifest = { name: 'smoke-socket.io-redis', private: true, type: 'module' };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  const packages = [
    '@nestjs/common',
    '@nestjs/core',
    '@nestjs/websockets',
    '@nestjs/platform-socket.io',
    '@socket.io/redis-adapter',
    'redis',
    'reflect-metadata',
    'rxjs',
    'typescript',
    '@types/node',
  ].map(version);
  const install = (extra) =>
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...extra], { cwd: dir });
  const installed = await install([tarball, ...packages, `socket.io@${other}`]);
  if (installed.code !== 0) {
    fail('socket.io-redis: npm install', installed.stderr);
    return;
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    TSCONFIG.replace('"skipLibCheck":false', '"skipLibCheck":true'),
  );
  writeFileSync(join(dir, 'consumer.ts'), REDIS_CONSUMER);
  const tsc = () => run(join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: dir });
  const copies = async () => {
    const listed = await run('npm', ['ls', 'socket.io', '--all', '--parseable'], { cwd: dir });
    return new Set(listed.stdout.split('\n').filter((line) => line.endsWith('/socket.io'))).size;
  };

  const twoCopies = await tsc();
  if (
    (await copies()) === 2 &&
    twoCopies.code !== 0 &&
    /consumer\.ts\(\d+,\d+\): error TS2416/.test(twoCopies.stdout)
  )
    pass(
      `socket.io-redis: socket.io@${other} beside the pinned ${pinned}: two copies, TS2416 in the app's RedisIoAdapter`,
    );
  else
    fail(
      'socket.io-redis: two socket.io copies were expected to break the docs adapter',
      twoCopies.stdout,
    );

  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      ...JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
      overrides: { 'socket.io': '$socket.io' },
    }),
  );
  // npm keeps a lockfile's second copy while it still satisfies the range: dedupe re-resolves.
  const overridden = await run('npm', ['dedupe', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: dir,
  });
  const oneCopy = await tsc();
  if (overridden.code === 0 && (await copies()) === 1 && oneCopy.code === 0)
    pass(
      `socket.io-redis: with overrides { "socket.io": "$socket.io" } and npm dedupe, one copy: withOriginCheck(RedisIoAdapter) type-checks`,
    );
  else fail('socket.io-redis: one socket.io copy', overridden.stderr + oneCopy.stdout);
}

const work = mkdtempSync(join(tmpdir(), 'origin-guard-smoke-'));
try {
  if (relative(ROOT, work).split(/[\\/]/)[0] !== '..')
    throw new Error(`${work} is inside the repo`);
  if (!existsSync(join(ROOT, 'dist/index.js'))) {
    console.log('dist/ missing: npm run build');
    const built = await run('npm', ['run', 'build'], { cwd: ROOT });
    if (built.code !== 0) throw new Error(`npm run build failed\n${built.stdout}${built.stderr}`);
  }
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT });
  if (packed.code !== 0) throw new Error(`npm pack failed\n${packed.stderr}`);
  const [{ filename, entryCount, size }] = JSON.parse(packed.stdout);
  const tarball = join(work, filename);
  pass(`npm pack: ${filename} (${entryCount} files, ${size} bytes)`);

  const version = lockedVersions();
  await Promise.all([
    ...['ws', 'socket.io'].map((t) => consumer(work, tarball, t, version)),
    redisConsumer(work, tarball, version),
  ]);
} catch (error) {
  fail('smoke', error.stack ?? error);
} finally {
  if (process.env.SMOKE_KEEP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  failures === 0 ? `smoke: all passed in ${seconds}s` : `smoke: ${failures} failed (${seconds}s)`,
);
process.exit(failures === 0 ? 0 : 1);
