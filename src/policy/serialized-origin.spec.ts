import { describe, expect, it } from 'vitest';
import { parseSerializedOrigin } from './serialized-origin.js';

const LABEL_63 = 'a'.repeat(63);

describe('parseSerializedOrigin: what it reads', () => {
  it.each([
    ['https://app.example.com', 'https', 'app.example.com', undefined, 'https://app.example.com'],
    [
      'HTTPS://App.Example.COM:443',
      'https',
      'app.example.com',
      undefined,
      'https://app.example.com',
    ],
    ['http://localhost:80', 'http', 'localhost', undefined, 'http://localhost'],
    ['http://localhost:443', 'http', 'localhost', 443, 'http://localhost:443'],
    ['https://example.com:80', 'https', 'example.com', 80, 'https://example.com:80'],
    ['https://example.com:65535', 'https', 'example.com', 65535, 'https://example.com:65535'],
    ['http://10.0.0.255', 'http', '10.0.0.255', undefined, 'http://10.0.0.255'],
    ['http://0.0.0.0:1', 'http', '0.0.0.0', 1, 'http://0.0.0.0:1'],
    ['https://[::1]:8443', 'https', '[::1]', 8443, 'https://[::1]:8443'],
    ['capacitor://localhost', 'capacitor', 'localhost', undefined, 'capacitor://localhost'],
    ['a+b.c-d://x_y', 'a+b.c-d', 'x_y', undefined, 'a+b.c-d://x_y'],
    ['https://app.v2', 'https', 'app.v2', undefined, 'https://app.v2'],
  ])('%s', (value, scheme, host, port, serialized) => {
    expect(parseSerializedOrigin(value)).toEqual({ scheme, host, port, serialized });
  });

  it('reads the longest host and origin it accepts', () => {
    // 253 characters: four 62-character labels and a 1-character one, with four dots.
    const host = `${'b'.repeat(62)}.${'c'.repeat(62)}.${'d'.repeat(62)}.${'e'.repeat(62)}.f`;
    expect(host).toHaveLength(253);
    expect(parseSerializedOrigin(`https://${host}`)).toMatchObject({ host });
    const atLimit = `${'s'.repeat(506)}://a.b`;
    expect(atLimit).toHaveLength(512);
    expect(parseSerializedOrigin(atLimit)).toMatchObject({ serialized: atLimit });
  });

  it('accepts 63-character labels', () => {
    expect(parseSerializedOrigin(`https://${LABEL_63}.example`)).toMatchObject({
      host: `${LABEL_63}.example`,
    });
  });
});

describe('parseSerializedOrigin: what it refuses, and why', () => {
  it.each([
    ['', 'is empty'],
    [`https://${'a'.repeat(505)}`, 'is longer than 512 characters'],
    ['https://a .com', 'contains whitespace'],
    ['https://a\t.com', 'contains whitespace'],
    ['https://a\u0000.com', 'contains a control character'],
    ['https://a\u001f.com', 'contains a control character'],
    ['https://a\u007f.com', 'contains a control character'],
    ['https://a\u0080.com', 'contains a non-ASCII character (hosts must be sent in punycode)'],
    ['https://bücher.example', 'contains a non-ASCII character (hosts must be sent in punycode)'],
    ['https://a%2ecom', 'contains a percent-escape'],
    ['example.com', 'has no scheme (expected scheme://host)'],
    ['://example.com', 'has no scheme (expected scheme://host)'],
    ['https://user@example.com', 'contains userinfo (user@)'],
    ['https://a.com,https://b.com', 'holds more than one origin'],
    ['https:///path', 'has no host'],
    ['https://example.com/', 'has a path (even a trailing slash)'],
    ['https://example.com?x=1', 'has a query or fragment'],
    ['https://example.com#x', 'has a query or fragment'],
    ['1https://example.com', 'has an invalid scheme'],
    ['-https://example.com', 'has an invalid scheme'],
    ['ht_tp://example.com', 'has an invalid scheme'],
    ['https://example.com:abc', 'is not of the form scheme://host[:port]'],
    ['https://', 'is not of the form scheme://host[:port]'],
    [
      `https://${'a'.repeat(63)}.${'a'.repeat(63)}.${'a'.repeat(63)}.${'a'.repeat(62)}`,
      'has a host longer than 253 characters',
    ],
    ['https://example.com.', 'has a trailing dot in the host'],
    ['https://a..example.com', 'has an empty label in the host'],
    ['https://.example.com', 'has an empty label in the host'],
    ['https://a!.example.com', 'has an invalid host label "a!"'],
    [`https://${LABEL_63}b.example`, `has an invalid host label "${LABEL_63}b"`],
    ['https://example.12', 'has a numeric host that is not a canonical dotted-quad IPv4 address'],
    ['https://example.0x1f', 'has a numeric host that is not a canonical dotted-quad IPv4 address'],
    ['http://01.2.3.4', 'has a numeric host that is not a canonical dotted-quad IPv4 address'],
    ['http://1.2.3.256', 'has a numeric host that is not a canonical dotted-quad IPv4 address'],
    ['http://1.2.3.1000', 'has a numeric host that is not a canonical dotted-quad IPv4 address'],
    ['http://1.2.3', 'has a numeric host that is not a canonical dotted-quad IPv4 address'],
    ['http://1.2.3.4.5', 'has a numeric host that is not a canonical dotted-quad IPv4 address'],
    ['http://[1::2::3]', 'has an invalid IPv6 address'],
    ['http://[0:0::1]', 'has an IPv6 address that is not in canonical form'],
    [
      'https://example.com:0443',
      'has port "0443", which is not a number from 1 to 65535 without leading zeros',
    ],
    [
      'https://example.com:65536',
      'has port "65536", which is not a number from 1 to 65535 without leading zeros',
    ],
    [
      'https://example.com:123456',
      'has port "123456", which is not a number from 1 to 65535 without leading zeros',
    ],
  ])('%j: %s', (value, error) => {
    expect(parseSerializedOrigin(value)).toEqual({ error });
  });
});
