import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginPredicate } from '../../src/index.js';
import { type BootedApp, bootApp } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { FORBIDDEN_UPGRADE } from '../support/expected.js';
import { rawHandshake } from '../support/net.js';

/**
 * Hostile request targets must not grow memory (issue #10, item 4). Nest routes an upgrade by
 * the WHATWG-normalized path, so `/<8 KB of noise>/../chat` reaches the `/chat` gateway: a
 * predicate cache keyed by the raw target would keep one 8 KB entry per handshake.
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const HANDSHAKES = 3_000;
const TARGET_BYTES = 8 * 1024;
const CONCURRENCY = 16;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('predicate cache under unique 8 KB request targets', () => {
  const probe = new GatewayProbe();
  let booted: BootedApp;
  let asked = 0;
  const tenantsOnly: OriginPredicate = async (origin) => {
    asked++;
    return origin === 'https://tenant.example';
  };

  beforeAll(async () => {
    booted = await bootApp({
      gateways: [echoGateway(probe, { options: { path: '/chat' }, allowedOrigins: [tenantsOnly] })],
    });
  });
  afterAll(() => booted.app.close());

  async function refuseUniqueTargets(count: number): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        // Hex noise: every target is distinct, and `..` brings it back to `/chat`.
        const noise = randomBytes(TARGET_BYTES / 2).toString('hex');
        const response = await rawHandshake(booted.port, `/${noise}/../chat`, [
          ['Origin', 'https://evil.example'],
        ]);
        expect(response.raw).toBe(FORBIDDEN_UPGRADE);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }

  it('keeps heap growth after GC under 10 MB for 3,000 refused handshakes', async () => {
    await refuseUniqueTargets(200);
    const before = heapAfterGc();
    await refuseUniqueTargets(HANDSHAKES);
    const grown = heapAfterGc() - before;

    expect(grown).toBeLessThan(10 * 1024 * 1024);
    // The predicate was asked once: every handshake had the same origin, host, path and gateway.
    expect(asked).toBe(1);
    expect(probe.connections).toBe(0);
  });
});
