import { describe, expect, it } from 'vitest';
import { entryRefusal as refusal } from '../../test/support/entry-fixes.js';

/**
 * The exact fix for an entry written without a scheme, or with a broken `://`: the origin the
 * user meant where it can be told (http for what is served locally, https for the rest).
 */
const WRITE_FULL = 'write the full origin, with the scheme your pages are served over';
const TWO_ENTRIES = 'a leading dot means the domain and its subdomains, two entries here';

describe('explainSyntaxError: an entry without a scheme', () => {
  it.each<[entry: string, fix: string]>([
    ['example.com', `${WRITE_FULL}: 'https://example.com'`],
    ['foo', `${WRITE_FULL}: 'https://foo'`],
    ['example.com/app', `${WRITE_FULL}: 'https://example.com'`],
    ['//example.com', `${WRITE_FULL}: 'https://example.com'`],
    ['///example.com', `${WRITE_FULL}: 'https://example.com'`],
    ['*.example.com', `${WRITE_FULL}: 'https://*.example.com'`],
    ['localhost:3000', `${WRITE_FULL}: 'http://localhost:3000'`],
    ['127.0.0.1:8080', `${WRITE_FULL}: 'http://127.0.0.1:8080'`],
    ['LOCALHOST/x', `${WRITE_FULL}: 'http://localhost'`],
    ['user@localhost/app', `${WRITE_FULL}: 'http://localhost'`],
    ['foo:3000/x', `${WRITE_FULL}: 'https://foo:3000'`],
    ['app.example.com/ws/', `${WRITE_FULL}: 'https://app.example.com'`],
    ['example.com/?to=https:a', `${WRITE_FULL}: 'https://example.com'`],
    ['*.127.0.0.1:8080', `${WRITE_FULL}: 'http://127.0.0.1:8080'`],
    // A port right after the colon: a host named like a scheme, not a broken "://".
    ['http:8080', `${WRITE_FULL}: 'https://http:8080'`],
    ['.example.com', `${TWO_ENTRIES}: 'https://example.com', 'https://*.example.com'`],
    ['.localhost', `${TWO_ENTRIES}: 'http://localhost'`],
    // Before the path, nothing that looks like a host: nothing to guess from.
    ['ftp//x', 'write the full origin: scheme://host[:port]'],
    ['a/b', 'write the full origin: scheme://host[:port]'],
    ['devlocalhost/app', 'write the full origin: scheme://host[:port]'],
    ['localhostx/app', 'write the full origin: scheme://host[:port]'],
    // A scheme with a broken "://".
    ['https:/example.com', `write "://" after the scheme: 'https://example.com'`],
    ['https:example.com', `write "://" after the scheme: 'https://example.com'`],
    ['Https:example.com', `write "://" after the scheme: 'https://example.com'`],
    ['https//example.com', `write "://" after the scheme: 'https://example.com'`],
    ['HTTP:/LOCALHOST:4200', `write "://" after the scheme: 'http://localhost:4200'`],
    ['wss:/app.example.com', `write "://" after the scheme: 'https://app.example.com'`],
    ['ws:localhost:3000', `write "://" after the scheme: 'http://localhost:3000'`],
    ['http:localhost:3000', `write "://" after the scheme: 'http://localhost:3000'`],
    ['ws//x.example', `write "://" after the scheme: 'http://x.example'`],
    ['https:/exa!mple.com', 'write the full origin: scheme://host[:port]'],
  ])('%j', (entry, fix) => {
    expect(refusal(entry)).toEqual(['has no scheme', fix]);
  });
});
