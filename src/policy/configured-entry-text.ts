import { domainToASCII } from 'node:url';

/**
 * How a configured origin string is read before it is validated. Configuration is trusted
 * input written by people, so it gets help that incoming headers never get.
 */
export function readConfiguredText(entry: string): string {
  return canonicalizeConfiguredHost(withoutTrailingSlash(entry));
}

/**
 * A URL pasted from the address bar ends in one `/` (`https://app.example.com/`): as an entry
 * it means the origin. Only the configured side is forgiven: an `Origin` header with a path is
 * still malformed, since no browser sends one.
 */
function withoutTrailingSlash(entry: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/$/i.test(entry) ? entry.slice(0, -1) : entry;
}

/**
 * Hosts written the way people write them are converted to the form browsers send: Unicode to
 * punycode (`https://bücher.example`), IPv6 to its canonical spelling.
 */
function canonicalizeConfiguredHost(entry: string): string {
  const ipv6 = /^([a-z][a-z0-9+.-]*:\/\/)(\[[0-9a-f:.]+\])(.*)$/is.exec(entry);
  if (ipv6 !== null) {
    try {
      return ipv6[1] + new URL(`http://${ipv6[2]}`).host + ipv6[3];
    } catch {
      return entry;
    }
  }
  if (!/[^\u0020-\u007e]/.test(entry)) return entry;
  const match = /^([a-z][a-z0-9+.-]*:\/\/(?:\*\.)?)([^/?#:@]+)(.*)$/is.exec(entry);
  if (match === null) return entry;
  const ascii = domainToASCII(match[2]!);
  return ascii === '' ? entry : match[1] + ascii + match[3];
}
