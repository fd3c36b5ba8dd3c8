export { probeOrigins } from '../probe/probe-origins.js';
export type { ProbeOptions } from '../probe/probe-options.js';
export { ProbeError } from '../probe/probe-error.js';
export type { ListeningApp, ProbeTransport } from '../probe/probe-target.js';
export type { ProbeOutcome, ProbeReport, ProbeResult } from '../probe/report.js';
export { MAX_PROBE_REQUESTS } from '../probe/request-plan.js';
