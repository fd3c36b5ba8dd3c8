import { describe, expect, it, onTestFinished } from 'vitest';
import { bootIoApp } from '../support/boot-socket-io.js';
import { echoGateway, GatewayProbe } from '../support/echo-gateway.js';
import { httpRequest, sidOf } from '../support/http-request.js';
import { tryConnectIo } from '../support/io-client.js';

/**
 * Two gateways on one engine (the app's server, `/socket.io`): `/strict` enforces its list,
 * `/audit` only reports. The engine's policy is the union of both lists, and report-only
 * because `/audit` is (see `buildEndpoints` in `origin-policy.registry.ts`): an origin only
 * `/audit` would refuse must still reach it. So the engine lets any origin through, and each
 * namespace's middleware decides with its own policy and mode.
 *
 * Each test boots its own app: refusal lines are rate-limited (an identical line is written once
 * per minute), so exact log assertions need a log no earlier test wrote to.
 *
 * Catches (each checked by breaking the code locally, then restoring it):
 * - a union that ignores the namespace's report-only mode (`buildEndpoints` compiling it with the
 *   module's `enforce`): the engine answers 403 and `/audit` never sees the origin;
 * - namespace middleware that reuses the engine's decision where the namespace has its own
 *   policy (`guardNamespace` without `own`): the report-only union would let `/strict` accept
 *   any origin, and its `handleConnection` run;
 * - `/audit` compiled without its own `mode` (`compileSpec` dropping `spec.mode`): it would
 *   refuse the origins it should only report;
 * - one handshake reported twice, by the engine and by the namespace.
 */

const A = 'https://a.example';
const B = 'https://b.example';
const EVIL = 'https://evil.example';
const NAMESPACE_REFUSAL = { connected: false, message: 'Origin not allowed' };

const strictRefused = (origin: string) =>
  `Refused WebSocket handshake: reason=not_allowed origin="${origin}" path="/socket.io/" gateway=StrictGateway remoteAddress="127.0.0.1" userAgent="node-XMLHttpRequest". If this page is yours, add '${origin}' to the allowed origins.`;
const auditWouldRefuse = (origin: string) =>
  `Would refuse WebSocket handshake (report-only): reason=not_allowed origin="${origin}" path="/socket.io/" gateway=AuditGateway remoteAddress="127.0.0.1" userAgent="node-XMLHttpRequest". If this page is yours, add '${origin}' to the allowed origins.`;

async function bootUnion() {
  const probes = { strict: new GatewayProbe(), audit: new GatewayProbe() };
  const booted = await bootIoApp({
    options: { allowedOrigins: ['https://app.example.com'] },
    gateways: [
      echoGateway(probes.strict, {
        name: 'StrictGateway',
        options: { namespace: '/strict' },
        allowedOrigins: [A],
      }),
      echoGateway(probes.audit, {
        name: 'AuditGateway',
        options: { namespace: '/audit' },
        allowedOrigins: [{ origins: [B], mode: 'report-only' }],
      }),
    ],
  });
  onTestFinished(() => booted.app.close());
  // Bootstrap warns that /audit only reports; only what the handshakes add is asserted.
  const bootLines = booted.logger.warnings().length;
  const warnings = () => booted.logger.warnings().slice(bootLines);
  return {
    probes,
    port: booted.port,
    warnings,
    refusals: () => warnings().filter((line) => line.startsWith('Refused WebSocket ')),
    wouldRefuse: () => warnings().filter((line) => line.startsWith('Would refuse WebSocket ')),
    connections: () => ({ strict: probes.strict.connections, audit: probes.audit.connections }),
    /** A default client (polling handshake, then upgrade) joining one namespace. */
    join(origin: string, namespace: string) {
      return tryConnectIo(`http://127.0.0.1:${booted.port}${namespace}`, { origin });
    },
  };
}

describe('OriginIoAdapter: an enforced and a report-only namespace on one engine', () => {
  it('builds a report-only union: the engine lets an unlisted origin through the polling handshake', async () => {
    const app = await bootUnion();
    const answer = await httpRequest(app.port, 'GET', '/socket.io/?EIO=4&transport=polling', {
      Origin: EVIL,
    });
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect(sidOf(answer.body)).toMatch(/^[\w-]+$/);
    expect(app.connections()).toEqual({ strict: 0, audit: 0 });
  });

  it('still refuses the unlisted origin in /strict, before its handleConnection', async () => {
    const app = await bootUnion();
    expect(await app.join(EVIL, '/strict')).toEqual(NAMESPACE_REFUSAL);
    expect(app.connections()).toEqual({ strict: 0, audit: 0 });
    expect(app.refusals()).toEqual([strictRefused(EVIL)]);
  });

  it('lets the unlisted origin into /audit and logs exactly one "would refuse" line', async () => {
    const app = await bootUnion();
    expect(await app.join(EVIL, '/audit')).toBe('connected');
    expect(app.connections()).toEqual({ strict: 0, audit: 1 });
    expect(app.refusals()).toEqual([]);
    expect(app.wouldRefuse()).toEqual([auditWouldRefuse(EVIL)]);
  });

  it("lets each listed origin into its own namespace, and /strict refuses /audit's origin", async () => {
    const app = await bootUnion();
    expect({
      aToStrict: await app.join(A, '/strict'),
      bToAudit: await app.join(B, '/audit'),
      bToStrict: await app.join(B, '/strict'),
    }).toEqual({
      aToStrict: 'connected',
      bToAudit: 'connected',
      bToStrict: NAMESPACE_REFUSAL,
    });
    expect(app.connections()).toEqual({ strict: 1, audit: 1 });
    expect(app.warnings()).toEqual([strictRefused(B)]);
  });

  it("reports, without refusing, /strict's origin in /audit", async () => {
    const app = await bootUnion();
    expect(await app.join(A, '/audit')).toBe('connected');
    expect(app.connections()).toEqual({ strict: 0, audit: 1 });
    expect(app.warnings()).toEqual([auditWouldRefuse(A)]);
  });
});
