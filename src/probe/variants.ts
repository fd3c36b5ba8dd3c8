import type { ParsedOrigin } from '../policy/serialized-origin.js';
import { isOriginSyntaxError, parseSerializedOrigin } from '../policy/serialized-origin.js';
import { ATTACKER_HOST, originValuesFor } from './origin-variants.js';

/**
 * What a variant is for, which decides what its answer means:
 * - `control`: an allowed origin. It must be accepted, or the endpoint is not really probed.
 * - `hostile`: what a page of someone else's (or a confused parser) presents. It must be refused.
 * - `equivalent`: the allowed origin in another spelling that normalizes to it (upper case).
 *   Accepting it is correct; refusing it is stricter than needed. Neither is a failure.
 * - `native`: no `Origin` and no `Sec-Fetch-*`, as native apps, CLIs and servers send. Allowed by
 *   `allowMissingOrigin: true` (the default), so informational; hostile with `browserOnly`.
 */
export type VariantKind = 'control' | 'hostile' | 'equivalent' | 'native';

export type HeaderLine = readonly [name: string, value: string];

export interface Variant {
  /** Stable identifier, e.g. `other-site`; `-2`, `-3` … for values derived from later allowed origins. */
  readonly id: string;
  readonly label: string;
  readonly kind: VariantKind;
  /** The header lines that make the variant, in order (duplicates kept). */
  readonly headers: readonly HeaderLine[];
  /** Sent as `Sec-WebSocket-Version: 8`, whose origin header is `Sec-WebSocket-Origin` (upgrades only). */
  readonly wsVersion8?: boolean;
  /** JSONP polling (`j=0` in the engine.io query; polling only). */
  readonly jsonp?: boolean;
}

export interface VariantOptions {
  /** The missing-Origin shape counts as hostile (a gateway only browsers may use). */
  readonly browserOnly: boolean;
}

/**
 * Every variant for a list of exact allowed origins: the controls first, then the values
 * derived from each allowed origin, then the header shapes that carry no usable `Origin`.
 * A derived value that normalizes to an allowed origin is `equivalent`; one that equals a
 * value already listed is left out.
 */
export function deriveVariants(
  allowed: readonly ParsedOrigin[],
  options: VariantOptions,
): Variant[] {
  const first = allowed[0];
  if (first === undefined) throw new Error('deriveVariants needs at least one allowed origin');
  const allowedSet = new Set(allowed.map((origin) => origin.serialized));
  const variants: Variant[] = allowed.map((origin, index) => ({
    id: suffixed('allowed', index),
    label: labelled('allowed origin', index),
    kind: 'control',
    headers: [['Origin', origin.serialized]],
  }));
  const seen = new Set(allowedSet);
  allowed.forEach((origin, index) => {
    for (const { id, label, value } of originValuesFor(origin)) {
      if (seen.has(value)) continue;
      seen.add(value);
      variants.push({
        id: suffixed(id, index),
        label: labelled(label, index),
        kind: normalizesToAllowed(value, allowedSet) ? 'equivalent' : 'hostile',
        headers: [['Origin', value]],
      });
    }
  });
  const attacker = `${first.scheme}://${ATTACKER_HOST}`;
  variants.push(
    { id: 'null', label: 'null origin', kind: 'hostile', headers: [['Origin', 'null']] },
    {
      id: 'duplicate',
      label: 'duplicate Origin',
      kind: 'hostile',
      headers: [
        ['Origin', first.serialized],
        ['Origin', attacker],
      ],
    },
    {
      id: 'ws-version-8',
      label: 'ws version 8',
      kind: 'hostile',
      headers: [['Sec-WebSocket-Origin', attacker]],
      wsVersion8: true,
    },
    {
      id: 'missing',
      label: 'missing Origin',
      kind: options.browserOnly ? 'hostile' : 'native',
      headers: [],
    },
    {
      id: 'fetch-cross-site',
      label: 'Fetch Metadata cross-site',
      kind: 'hostile',
      headers: [
        ['Sec-Fetch-Site', 'cross-site'],
        ['Sec-Fetch-Mode', 'no-cors'],
      ],
    },
    {
      id: 'fetch-same-site',
      label: 'Fetch Metadata same-site',
      kind: 'hostile',
      headers: [
        ['Sec-Fetch-Site', 'same-site'],
        ['Sec-Fetch-Mode', 'navigate'],
      ],
    },
    { id: 'jsonp', label: 'JSONP polling', kind: 'hostile', headers: [], jsonp: true },
  );
  return variants;
}

function normalizesToAllowed(value: string, allowed: ReadonlySet<string>): boolean {
  const parsed = parseSerializedOrigin(value);
  return !isOriginSyntaxError(parsed) && allowed.has(parsed.serialized);
}

function suffixed(id: string, index: number): string {
  return index === 0 ? id : `${id}-${index + 1}`;
}

function labelled(label: string, index: number): string {
  return index === 0 ? label : `${label} [${index + 1}]`;
}

/** The SENT column: the header lines that make the variant (the probe's own ones left out). */
export function describeSent(variant: Variant): string {
  const parts: string[] = [];
  if (variant.jsonp === true) parts.push('j=0');
  if (variant.wsVersion8 === true) parts.push('Sec-WebSocket-Version: 8');
  if (!variant.headers.some(([name]) => /origin$/i.test(name))) parts.push('no Origin');
  for (const [name, value] of variant.headers) parts.push(`${name}: ${value}`);
  return parts.join(', ');
}
