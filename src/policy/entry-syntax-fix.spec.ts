import { describe, expect, it } from 'vitest';
import { entryRefusal as refusal } from '../../test/support/entry-fixes.js';

/**
 * The exact problem and fix for each rule of `explainSyntaxError`: what the user meant when
 * a candidate can be made valid, and the rule's fallback wording when none can.
 * (entry-fixes.spec.ts checks that every suggestion compiles; this pins what is said.)
 */
const PORT_RANGE = (port: string) =>
  `has port "${port}", which is not a number from 1 to 65535 without leading zeros`;
const USE_A_PORT = 'use a port from 1 to 65535, or none for the default port';
const SPLIT = 'list each origin as an entry of its own (parseOriginList() splits text so)';
const CONTROL = 'remove it (a stray CR from a Windows line ending, for instance)';
const USERINFO = 'remove the "user@" part';
const NO_DOT = 'remove the trailing dot (origins with one are never allowed)';
const NUMERIC = 'has a numeric host that is not a canonical dotted-quad IPv4 address';

describe('explainSyntaxError: the fix for each kind of malformed entry', () => {
  it.each<[entry: string, problem: string, fix: string]>([
    // Quotes, of any kind, around the whole (trimmed) entry; the rest is repaired on its own.
    ['"https://a.example"', 'is in quotes', "remove the quotes: write 'https://a.example'"],
    ["'https://a.example/'", 'is in quotes', "remove the quotes: write 'https://a.example'"],
    ['`https://a.example`', 'is in quotes', "remove the quotes: write 'https://a.example'"],
    [' "https://a.example" ', 'is in quotes', "remove the quotes: write 'https://a.example'"],
    ['"\nhttps://a.example"', 'is in quotes', "remove the quotes: write 'https://a.example'"],
    ['"ftp//x"', 'is in quotes', 'remove the quotes'],
    ['"https://a.example\'', 'has an invalid scheme', 'write it as scheme://host[:port]'],
    ["'https://a.example'x", 'has an invalid scheme', 'write it as scheme://host[:port]'],
    ['https://a.example/"x"', 'has a path', "an origin has no path: write 'https://a.example'"],

    [
      'https://example.com/path',
      'has a path',
      "an origin has no path: write 'https://example.com'",
    ],
    ['https://exa!mple.com/x', 'has a path', 'an origin has no path: write scheme://host[:port]'],
    [
      'https://example.com?x=1',
      'has a query or fragment',
      "remove it: write 'https://example.com'",
    ],
    [
      'https://example.com#top',
      'has a query or fragment',
      "remove it: write 'https://example.com'",
    ],
    ['https://exa!mple.com?x', 'has a query or fragment', 'remove it: write scheme://host[:port]'],
    // No origin to keep when what precedes "://" is no scheme.
    ['1https://a.example/x', 'has a path', 'an origin has no path: write scheme://host[:port]'],
    ['1https://a.example?x=1', 'has a query or fragment', 'remove it: write scheme://host[:port]'],

    [
      'https://user:secret@example.com:8443',
      'contains userinfo (user@)',
      `${USERINFO}, an origin never carries credentials: write 'https://example.com:8443'`,
    ],
    [
      'https://a@b@example.com',
      'contains userinfo (user@)',
      `${USERINFO}, an origin never carries credentials: write 'https://example.com'`,
    ],
    [
      'https://user@exa!mple.com',
      'contains userinfo (user@)',
      `${USERINFO}: an origin never carries credentials`,
    ],

    [
      'https://example.com.',
      'has a trailing dot in the host',
      `${NO_DOT}: write 'https://example.com'`,
    ],
    [
      'https://example.com..',
      'has a trailing dot in the host',
      `${NO_DOT}: write 'https://example.com'`,
    ],
    [
      'https://example.com..:8443',
      'has a trailing dot in the host',
      `${NO_DOT}: write 'https://example.com:8443'`,
    ],
    ['https://exa!mple.com.', 'has a trailing dot in the host', NO_DOT],
    // A run of dots goes in one repair, however long.
    [
      'https://example.com......',
      'has a trailing dot in the host',
      `${NO_DOT}: write 'https://example.com'`,
    ],

    // Leading zeros are dropped when what is left is a port; anything else loses the port.
    [
      'https://example.com:08080',
      PORT_RANGE('08080'),
      "write the port without leading zeros: 'https://example.com:8080'",
    ],
    [
      'https://example.com:01',
      PORT_RANGE('01'),
      "write the port without leading zeros: 'https://example.com:1'",
    ],
    [
      'https://example.com:065535',
      PORT_RANGE('065535'),
      "write the port without leading zeros: 'https://example.com:65535'",
    ],
    ['https://example.com:065536', PORT_RANGE('065536'), `${USE_A_PORT}: 'https://example.com'`],
    ['https://example.com:00', PORT_RANGE('00'), `${USE_A_PORT}: 'https://example.com'`],
    ['https://example.com:0', PORT_RANGE('0'), `${USE_A_PORT}: 'https://example.com'`],
    ['https://example.com:99999', PORT_RANGE('99999'), `${USE_A_PORT}: 'https://example.com'`],
    ['https://example.com:100000', PORT_RANGE('100000'), `${USE_A_PORT}: 'https://example.com'`],
    [
      'https://example.com:0000008080',
      PORT_RANGE('0000008080'),
      "write the port without leading zeros: 'https://example.com:8080'",
    ],
    [
      'https://[2001:db8::1]:08080',
      PORT_RANGE('08080'),
      "write the port without leading zeros: 'https://[2001:db8::1]:8080'",
    ],
    // A port in a list: nothing to cut off the end.
    ['https://example.com:[0,8443]', PORT_RANGE('0'), USE_A_PORT],
    // The origin without the port is refused itself: the rule's wording alone.
    ['https://*.com:080', PORT_RANGE('080'), 'write the port without leading zeros'],
    ['https://*.com:99999', PORT_RANGE('99999'), USE_A_PORT],

    [
      'https://a.example https://b.example',
      'contains whitespace',
      `${SPLIT}: 'https://a.example', 'https://b.example'`,
    ],
    [
      'https://a.example,https://b.example',
      'holds more than one origin',
      `${SPLIT}: 'https://a.example', 'https://b.example'`,
    ],
    [
      'https://a.example https://b!.example',
      'contains whitespace',
      `${SPLIT}: 'https://a.example'`,
    ],
    ['https://exa!mple.com https://b!.example', 'contains whitespace', SPLIT],
    [
      ' https://a.example',
      'contains whitespace',
      "remove the whitespace: write 'https://a.example'",
    ],
    [
      'https://exa  mple.com',
      'contains whitespace',
      "remove the whitespace: write 'https://example.com'",
    ],
    [
      'https://a.example b.example',
      'contains whitespace',
      "remove the whitespace: write 'https://a.exampleb.example'",
    ],
    [
      'https://exa mple!.com',
      'contains whitespace',
      'remove the whitespace; list several origins as separate entries',
    ],

    [
      'https://a.example:8443\r',
      'contains a control character',
      `${CONTROL}: write 'https://a.example:8443'`,
    ],
    [
      'https://a.\u0007example',
      'contains a control character',
      `${CONTROL}: write 'https://a.example'`,
    ],
    [
      'https://a.example\u007f',
      'contains a control character',
      `${CONTROL}: write 'https://a.example'`,
    ],
    [
      'https://a.exa\u0000mple',
      'contains a control character',
      `${CONTROL}: write 'https://a.example'`,
    ],
    // Only the control character goes: the space is left for the next repair.
    [
      'https://a.example\r https://b.example',
      'contains a control character',
      `${CONTROL}: write 'https://a.example', 'https://b.example'`,
    ],
    ['https://exa!mple.com\u0007', 'contains a control character', 'remove the control character'],

    [
      'https://ex%61mple.com',
      'contains a percent-escape',
      "write it decoded: 'https://example.com'",
    ],
    ['https://ex%2561mple.com', 'contains a percent-escape', 'remove the "%"'],
    ['https://a%zz.example', 'contains a percent-escape', 'remove the "%"'],

    [
      'http://127.1:3000',
      NUMERIC,
      "write the address as browsers send it: 'http://127.0.0.1:3000'",
    ],
    ['http://0x7f.0.0.1', NUMERIC, "write the address as browsers send it: 'http://127.0.0.1'"],
    [
      'http://1.2.3.4.5',
      NUMERIC,
      'write IPv4 addresses as four decimal numbers, such as 192.0.2.1',
    ],
    // A scheme WHATWG URL has no origin for: nothing to suggest.
    ['foo://127.1', NUMERIC, 'write IPv4 addresses as four decimal numbers, such as 192.0.2.1'],

    [
      '',
      'is empty',
      'remove it (parseOriginList() drops the empty pieces that splitting text leaves)',
    ],
    [
      'https://exa!mple.com',
      'has an invalid host label "exa!mple"',
      'write it as scheme://host[:port]',
    ],
    ['https://', 'is not of the form scheme://host[:port]', 'write it as scheme://host[:port]'],
  ])('%j', (entry, problem, fix) => {
    expect(refusal(entry)).toEqual([problem, fix]);
  });
});
