import { ProbeError } from './probe-error.js';
import { type ProbeOptions, resolveSettings } from './probe-options.js';
import { type ListeningApp, targetFromApp, targetFromUrl } from './probe-target.js';
import type { ProbeReport } from './report.js';
import { runProbe } from './run-probe.js';

/**
 * Sends the hostile variants of your allowed origins to a live WebSocket or Socket.IO endpoint,
 * as real handshakes, and reports which got through. `target` is a listening Nest application
 * (only `getHttpServer().address()` is read) or a URL (`ws://`, `wss://`, `http://`, `https://`).
 *
 * Resolves with the report when the endpoint was probed, safe or not; rejects with a
 * `ProbeError` (carrying the report, if requests were sent) when it could not be: no
 * connection, an allowed origin not accepted, no answer, bad options. So
 * `expect(report.accepted).toEqual([])` never passes for a dead endpoint.
 *
 * @example
 * ```ts
 * import { probeOrigins } from 'nestjs-origin-guard/testing';
 *
 * const report = await probeOrigins(app, { path: '/chat', allowed: ['https://app.example.com'] });
 * expect(report.accepted).toEqual([]); // no hostile origin got through
 * ```
 * @publicApi
 */
export async function probeOrigins(
  target: ListeningApp | string | URL,
  options: ProbeOptions,
): Promise<ProbeReport> {
  const settings = resolveSettings(options ?? ({} as ProbeOptions));
  const transport = options.transport ?? 'ws';
  if (transport !== 'ws' && transport !== 'socket.io') {
    throw new ProbeError(
      `The transport must be 'ws' or 'socket.io', not ${JSON.stringify(transport)}.`,
    );
  }
  const resolved =
    typeof target === 'string' || target instanceof URL
      ? targetFromUrl(String(target), transport, options.path)
      : targetFromApp(target, transport, options.path);
  const report = await runProbe(resolved, settings);
  if (report.exitCode === 2) throw new ProbeError(report.summary, report);
  return report;
}
