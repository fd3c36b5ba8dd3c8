import { readFileSync } from 'node:fs';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decisionMetricLabels,
  type OriginCheckMode,
  type OriginGuardModuleOptions,
} from '../../src/index.js';
import { type BootedApp, bootApp } from '../support/boot.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { openWs, rawHandshake, roundTrip } from '../support/net.js';

/**
 * The README's metrics recipe, run: `onDecision` feeds a prom-client counter labelled by
 * endpoint, outcome and reason, and the report-only rollout reads it.
 */

const APP = 'https://app.example.com';
const PARTNER = 'https://partner.example';
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

const opened: BootedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.app.close()));
});

/** The recipe's counter, in a registry of its own so that cases do not share series. */
function decisionCounter(): { registry: Registry; decisions: Counter } {
  const registry = new Registry();
  const decisions = new Counter({
    name: 'ws_origin_decisions_total',
    help: 'WebSocket origin decisions, by endpoint, outcome and reason',
    labelNames: ['endpoint', 'outcome', 'reason'],
    registers: [registry],
  });
  return { registry, decisions };
}

async function boot(
  decisions: Counter,
  allowedOrigins: string[],
  mode: OriginCheckMode = 'enforce',
): Promise<BootedApp> {
  const options: OriginGuardModuleOptions = {
    allowedOrigins,
    mode,
    onDecision: (event) => decisions.inc(decisionMetricLabels(event)),
  };
  const booted = await bootApp({
    options,
    gateways: [echoGateway(new GatewayProbe(), { options: { path: '/chat' } })],
  });
  opened.push(booted);
  return booted;
}

async function handshake(booted: BootedApp, origin: string): Promise<string> {
  return (await rawHandshake(booted.port, '/chat', [['Origin', origin]])).statusLine;
}

/** The counter's sample lines, as Prometheus scrapes them. */
async function samples(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line.startsWith('ws_origin'));
}

describe('Prometheus metrics from onDecision', () => {
  it('is the recipe the README shows', () => {
    expect(README).toContain("labelNames: ['endpoint', 'outcome', 'reason'],");
    expect(README).toContain('onDecision: (event) => decisions.inc(decisionMetricLabels(event)),');
  });

  it('counts by endpoint, outcome and reason, never by origin, however many origins attack', async () => {
    const { registry, decisions } = decisionCounter();
    const booted = await boot(decisions, [APP]);
    expect(await handshake(booted, APP)).toBe('HTTP/1.1 101 Switching Protocols');
    // Every hostile page brings its own origin: the counter still grows by one series.
    for (let i = 0; i < 200; i++) await handshake(booted, `https://attacker-${i}.example`);
    await handshake(booted, 'https://app.example.com@attacker.example');
    // A guarded handler narrower than its gateway: a message decision, labelled by handler.
    const outcome = await openWs(`ws://127.0.0.1:${booted.port}/chat`, APP);
    if (!outcome.opened) throw new Error('the allowed origin was refused');
    expect(await roundTrip(outcome.socket, 'admin', {})).toMatchObject({ closeCode: 1008 });

    expect(await samples(registry)).toEqual([
      'ws_origin_decisions_total{endpoint="/chat",outcome="allowed",reason="none"} 2',
      'ws_origin_decisions_total{endpoint="/chat",outcome="refused",reason="not_allowed"} 200',
      'ws_origin_decisions_total{endpoint="/chat",outcome="refused",reason="malformed"} 1',
      'ws_origin_decisions_total{endpoint="EchoGateway.admin",outcome="refused",reason="not_allowed"} 1',
    ]);
    expect(await registry.metrics()).not.toMatch(/attacker|127\.0\.0\.1/);
  });

  it('walks a report-only rollout: count what would be refused, list yours, then enforce', async () => {
    // 1. Deploy with report-only: nothing is refused, every would-be refusal is counted.
    const before = decisionCounter();
    const reporting = await boot(before.decisions, [APP], 'report-only');
    for (const origin of [APP, PARTNER, PARTNER, 'https://attacker.example']) {
      expect(await handshake(reporting, origin)).toBe('HTTP/1.1 101 Switching Protocols');
    }
    expect(await samples(before.registry)).toEqual([
      'ws_origin_decisions_total{endpoint="/chat",outcome="allowed",reason="none"} 1',
      'ws_origin_decisions_total{endpoint="/chat",outcome="would_refuse",reason="not_allowed"} 3',
    ]);
    // 2. The log lines (not the metric) say which origins those were.
    const wouldRefuse = reporting.logger.warnings().filter((l) => l.startsWith('Would refuse'));
    expect(wouldRefuse.map((line) => /origin="([^"]+)"/.exec(line)?.[1])).toEqual([
      PARTNER,
      'https://attacker.example',
    ]);

    // 3. List the partner, enforce: what is still refused is what an alert should fire on.
    const after = decisionCounter();
    const enforcing = await boot(after.decisions, [APP, PARTNER]);
    expect(await handshake(enforcing, PARTNER)).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await handshake(enforcing, 'https://attacker.example')).toBe('HTTP/1.1 403 Forbidden');
    expect(await samples(after.registry)).toEqual([
      'ws_origin_decisions_total{endpoint="/chat",outcome="allowed",reason="none"} 1',
      'ws_origin_decisions_total{endpoint="/chat",outcome="refused",reason="not_allowed"} 1',
    ]);
  });
});
