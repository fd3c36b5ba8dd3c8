import type { ProbeReport } from './report.js';

/**
 * The endpoint could not be probed: bad arguments, a connection that failed, or an allowed
 * origin that was not accepted (so refusals would prove nothing). The CLI exits with 2.
 *
 * When requests were sent, `report` holds what they got (the CLI prints its table).
 *
 * @example
 * ```ts
 * try {
 *   await probeOrigins('ws://127.0.0.1:1/chat', { allowed: ['https://app.example.com'] });
 * } catch (error) {
 *   if (error instanceof ProbeError) console.error(error.message); // connect ECONNREFUSED …
 * }
 * ```
 * @publicApi
 */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';

  constructor(
    message: string,
    /** What was sent before the probe gave up, if anything was. */
    readonly report?: ProbeReport,
  ) {
    super(message);
  }
}
