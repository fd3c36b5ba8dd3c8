import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type HandshakeJob, runInterleavedHandshakes } from '../../bench/handshake-load.js';

/** A server that answers every upgrade with `status` and notes which server got each one. */
async function answering(name: string, status: string, seen: string[]): Promise<Server> {
  const server = createServer();
  server.on('upgrade', (_req, socket) => {
    seen.push(name);
    socket.on('error', () => {});
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function job(server: Server, expectStatus: 101 | 403): HandshakeJob {
  return {
    port: (server.address() as AddressInfo).port,
    path: '/',
    origin: { fixed: 'https://app.example.com' },
    expectStatus,
    concurrency: 4,
    durationMs: 0,
    maxCount: 100_000,
    timeoutMs: 5_000,
  };
}

/** `['a', 'a', 'b', 'a']` → `['a', 'b', 'a']`. */
function runs(seen: readonly string[]): string[] {
  return seen.filter((name, i) => i === 0 || seen[i - 1] !== name);
}

describe('runInterleavedHandshakes', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    servers.length = 0;
  });

  it('loads one server at a time, slice by slice in the order of each cycle, and sums each one', async () => {
    const seen: string[] = [];
    servers.push(
      await answering('a', '101 Switching Protocols', seen),
      await answering('b', '403 Forbidden', seen),
    );
    const results = await runInterleavedHandshakes({
      jobs: [job(servers[0]!, 101), job(servers[1]!, 403)],
      resultOf: [0, 1],
      sliceMs: 40,
      cycles: [
        [0, 1],
        [1, 0],
        [0, 1],
      ],
    });

    // A slice ends only once its handshakes are answered, so slices never overlap.
    expect(runs(seen)).toEqual(['a', 'b', 'a', 'b']);
    const [a, b] = results;
    expect(a!.statuses).toEqual({ '101': seen.filter((name) => name === 'a').length });
    expect(b!.statuses).toEqual({ '403': seen.filter((name) => name === 'b').length });
    for (const result of results) {
      expect(result.failed).toBe(0);
      expect(result.completed).toBeGreaterThan(0);
      // Its three slices of 40 ms at most, not the whole run of six.
      expect(result.elapsedMs).toBeLessThanOrEqual(120);
    }
  });

  it('sums the servers of one result: their handshakes, statuses and slices', async () => {
    const seen: string[] = [];
    servers.push(
      await answering('a1', '101 Switching Protocols', seen),
      await answering('b', '101 Switching Protocols', seen),
      await answering('a2', '101 Switching Protocols', seen),
    );
    const [a, b] = await runInterleavedHandshakes({
      jobs: servers.map((server) => job(server, 101)),
      resultOf: [0, 1, 0],
      sliceMs: 40,
      cycles: [[0, 1, 2]],
    });

    expect(runs(seen)).toEqual(['a1', 'b', 'a2']);
    const count = (...names: string[]) => seen.filter((name) => names.includes(name)).length;
    expect(a!.statuses).toEqual({ '101': count('a1', 'a2') });
    expect(b!.statuses).toEqual({ '101': count('b') });
    expect(a!.elapsedMs).toBeLessThanOrEqual(80);
    expect(b!.elapsedMs).toBeLessThanOrEqual(40);
  });
});
