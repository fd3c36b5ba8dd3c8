import { isIP } from 'node:net';
import { parse } from 'tldts';
import type { ParsedOrigin } from '../policy/serialized-origin.js';
import { fullWidthHost, punycodeLookalike } from './lookalike-hosts.js';

/** The attacker's own site in every derived value: `.example` is reserved (RFC 2606). */
export const ATTACKER_HOST = 'attacker.example';
export const ATTACKER_LABEL = 'attacker';

/** One `Origin` value derived from an allowed origin, before it is classified. */
export interface OriginValue {
  readonly id: string;
  readonly label: string;
  readonly value: string;
}

/**
 * The `Origin` values that the bypass classes of the policy engine are about, derived from one
 * allowed origin (`https://app.example.com` in the comments). Which of them are hostile and
 * which are the same origin is decided by the caller, by normalizing them.
 */
export function originValuesFor(allowed: ParsedOrigin): OriginValue[] {
  const { scheme, host } = allowed;
  const port = allowed.port === undefined ? '' : `:${allowed.port}`;
  const at = (someHost: string, somePort = port, someScheme = scheme) =>
    `${someScheme}://${someHost}${somePort}`;
  const values: OriginValue[] = [
    { id: 'other-site', label: 'other site', value: at(ATTACKER_HOST, '') },
  ];
  const names = hostNames(host);
  if (names !== undefined) {
    values.push({ id: 'sibling', label: 'sibling subdomain', value: at(names.sibling) });
    if (names.parent !== undefined) {
      values.push({ id: 'parent', label: 'parent domain', value: at(names.parent) });
    }
  }
  if (isIP(bare(host)) !== 6) {
    // https://app.example.com.attacker.example: a startsWith()/includes() check passes.
    values.push({ id: 'suffix', label: 'suffix confusion', value: at(`${host}.${ATTACKER_HOST}`) });
  }
  if (names !== undefined) {
    // https://attackerapp.example.com: an endsWith('app.example.com') check passes.
    values.push({ id: 'prefix', label: 'prefix confusion', value: at(`${ATTACKER_LABEL}${host}`) });
    // https://attackerexample.com: anyone can register it; endsWith('example.com') passes.
    values.push({ id: 'glued', label: 'same-ending domain', value: at(names.glued) });
  }
  values.push(
    scheme === 'https'
      ? { id: 'scheme', label: 'scheme downgrade', value: at(host, port, 'http') }
      : { id: 'scheme', label: 'other scheme', value: at(host, port, 'https') },
    { id: 'port', label: 'other port', value: at(host, `:${otherPort(allowed)}`) },
    // new URL() reads the host after '@' (the allowed one) and drops the rest.
    { id: 'userinfo', label: 'userinfo before host', value: at(`${ATTACKER_HOST}@${host}`) },
    // A startsWith() check passes; the browser-visible host is the attacker's.
    { id: 'userinfo-host', label: 'host before userinfo', value: `${at(host)}@${ATTACKER_HOST}` },
    { id: 'upper-case', label: 'upper case', value: at(host).toUpperCase() },
  );
  if (isIP(bare(host)) !== 6) {
    values.push({ id: 'trailing-dot', label: 'trailing dot', value: at(`${host}.`) });
  }
  const lookalike = names === undefined ? undefined : lookalikeHost(host, names.registrableLabel);
  if (lookalike !== undefined) {
    values.push({ id: 'idn-lookalike', label: 'IDN lookalike', value: at(lookalike) });
  }
  const fullWidth = isIP(bare(host)) === 6 ? undefined : fullWidthHost(host);
  if (fullWidth !== undefined) {
    values.push({ id: 'full-width', label: 'full-width letter', value: at(fullWidth) });
  }
  return values;
}

interface HostNames {
  /** `attacker.example.com`. */
  readonly sibling: string;
  /** `example.com`, when the host is below its registrable domain. */
  readonly parent: string | undefined;
  /** `attackerexample.com`. */
  readonly glued: string;
  /** The label an attacker would imitate: `example` in `app.example.com`. */
  readonly registrableLabel: string;
}

/** Names around a DNS host; `undefined` for IP addresses, which have no subdomains. */
function hostNames(host: string): HostNames | undefined {
  if (isIP(bare(host)) !== 0) return undefined;
  const parsed = parse(host, { allowPrivateDomains: true });
  // `localhost` and single-label names have no registrable domain: treat the name as one.
  const domain = parsed.domain ?? host;
  const registrableLabel = parsed.domainWithoutSuffix || domain.split('.')[0]!;
  return {
    sibling: `${ATTACKER_LABEL}.${domain}`,
    parent: domain === host ? undefined : domain,
    glued: `${ATTACKER_LABEL}${domain}`,
    registrableLabel,
  };
}

function lookalikeHost(host: string, label: string): string | undefined {
  const swapped = punycodeLookalike(label);
  if (swapped === undefined) return undefined;
  const labels = host.split('.');
  const index = labels.lastIndexOf(label);
  if (index === -1) return undefined;
  labels[index] = swapped;
  return labels.join('.');
}

function otherPort(origin: ParsedOrigin): number {
  if (origin.port === undefined) return origin.scheme === 'https' ? 8443 : 8080;
  return origin.port === 65535 ? 65534 : origin.port + 1;
}

function bare(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
