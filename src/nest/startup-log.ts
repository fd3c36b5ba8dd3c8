import { Logger } from '@nestjs/common';
import type { OriginPolicy } from '../policy/origin-policy.js';
import { reviewPolicy } from '../policy/policy-review.js';
import type { Checkpoint } from '../runtime/checkpoint.js';
import type { EndpointPolicies } from './endpoint-policies.js';
import { describeEndpoint } from './gateway-metadata.js';
import { describeNamespace, MAIN_NAMESPACE } from './namespace-key.js';

const logger = new Logger('OriginGuard');

/**
 * Warns, at every start, about risky configurations (each once per policy). What each
 * endpoint enforces is logged by its enforcer (`logEndpointSummary`), which knows its
 * transport and port.
 */
export function logStartup(
  defaultPolicy: OriginPolicy,
  endpoints: EndpointPolicies,
  upgradePaths: ReadonlyMap<string, Checkpoint>,
  allowJsonpPolling: boolean,
): void {
  const reviewed = new Set<OriginPolicy>();
  const review = (where: string, policy: OriginPolicy) => {
    if (reviewed.has(policy)) return;
    reviewed.add(policy);
    for (const warning of reviewPolicy(policy)) logger.warn(`${where} ${warning}`);
  };
  review('allowedOrigins', defaultPolicy);
  if (allowJsonpPolling) {
    logger.warn(
      'allowJsonpPolling: true serves engine.io JSONP polling: a <script> tag on any site can open a Socket.IO session ' +
        "with the user's cookies and no Origin. Fetch Metadata still refuses modern browsers over https and localhost; " +
        'over plain http nothing does. Remove it unless legacy clients need JSONP.',
    );
  }
  for (const { endpoint, namespace, declared, gateways } of endpoints.all()) {
    const where =
      namespace === MAIN_NAMESPACE
        ? describeEndpoint(endpoint)
        : `${describeEndpoint(endpoint)}, ${describeNamespace(namespace)}`;
    review(`@AllowedOrigins() of ${gateways.join(', ')} (${where})`, declared.policy);
  }
  for (const [path, { policy }] of upgradePaths) {
    review(`upgrades[${JSON.stringify(path)}]`, policy);
  }
}

/** Writes one endpoint's startup line (see `endpointSummaryLine`). */
export function logEndpointSummary(line: string): void {
  logger.log(line);
}
