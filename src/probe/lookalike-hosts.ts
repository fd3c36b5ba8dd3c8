import { domainToASCII } from 'node:url';

/** Latin letters and the Cyrillic letters that look the same in most fonts. */
const CYRILLIC_LOOKALIKES: Readonly<Record<string, string>> = {
  a: '\u0430',
  c: '\u0441',
  e: '\u0435',
  o: '\u043e',
  p: '\u0440',
  x: '\u0445',
  y: '\u0443',
};

/**
 * An internationalized name that looks like `label` but is another domain, as a browser sends
 * it (punycode): the first letter that has a Cyrillic twin is swapped, e.g. `example` →
 * `еxample` → `xn--xample-2of`. `undefined` when the label has no such letter.
 */
export function punycodeLookalike(label: string): string | undefined {
  // By UTF-16 unit, like the slices below: every letter with a twin is one unit, and neither
  // half of an astral character is one of them.
  let index = 0;
  while (index < label.length && !(label.charAt(index) in CYRILLIC_LOOKALIKES)) index += 1;
  if (index === label.length) return undefined;
  const swapped =
    label.slice(0, index) + CYRILLIC_LOOKALIKES[label.charAt(index)]! + label.slice(index + 1);
  const ascii = domainToASCII(swapped);
  return ascii === '' || ascii === label ? undefined : ascii;
}

/**
 * `host` with its first letter or digit in full-width form (`app` → `ａpp`): raw Unicode, which
 * WHATWG `new URL()` maps back to the ASCII host. A guard that "normalizes" with it accepts
 * a value no browser ever sends. `undefined` when the host does not start with one.
 */
export function fullWidthHost(host: string): string | undefined {
  const first = host.charCodeAt(0);
  const alphanumeric =
    (first >= 0x30 && first <= 0x39) ||
    (first >= 0x41 && first <= 0x5a) ||
    (first >= 0x61 && first <= 0x7a);
  if (!alphanumeric) return undefined;
  return String.fromCharCode(first + 0xfee0) + host.slice(1);
}
