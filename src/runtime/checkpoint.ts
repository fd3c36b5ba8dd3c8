import type { OriginPolicy } from '../policy/origin-policy.js';

/** Where a handshake is checked: a compiled policy and what it protects. */
export interface Checkpoint {
  readonly policy: OriginPolicy;
  /** Class names of the gateways served there, for log lines and predicates. */
  readonly gateways: readonly string[];
  /** The path requests are routed by there (see `DecisionScope.path`). */
  readonly path: string;
  /**
   * Set where narrower checks follow that report for themselves (a Socket.IO engine whose
   * union policy is report-only because one of its namespaces is): a refusal that is not
   * enforced here is then not reported here, so one request makes one "would refuse" line.
   */
  readonly quietWhenReportOnly?: boolean;
}
