import { parse as parseQueryString } from 'node:querystring';
import { parse as parseLegacyUrl } from 'node:url';
import { Server } from 'engine.io';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../test/support/property-runs.js';
import { plainQuery, plainQueryPreset } from './engine-query.js';

type Query = Record<string, unknown>;

/** The installed engine.io's own parse (`URLSearchParams` over a WHATWG URL, since 6.6.x). */
function engineQuery(url: string): Query {
  const req: { url: string; _query?: Query } = { url };
  (new Server() as unknown as { prepare(req: object): void }).prepare(req);
  return req._query!;
}

/** engine.io 6.6.0's parse: `querystring` over the legacy `url.parse`. */
function legacyEngineQuery(url: string): Query {
  return url.includes('?')
    ? parseQueryString(parseLegacyUrl(url).query ?? '')
    : Object.create(null);
}

/** Equal values on objects of the same prototype. */
function expectSameQuery(ours: Query, theirs: Query): void {
  expect(Object.getPrototypeOf(ours)).toBe(Object.getPrototypeOf(theirs));
  expect(Object.entries(ours)).toEqual(Object.entries(theirs));
}

/**
 * Targets of `name=value` pairs built mostly from plain pieces (so that many are read), with
 * pieces that the two parsers read differently mixed in.
 */
const PLAIN_PIECES = ['a', 'Z', '9', '_', '.', '~', '-', 'EIO', 'sid', 'j', 't', '0', '1'];
const plainPiece = fc.constantFrom(...PLAIN_PIECES, 'transport', '__proto__', 'constructor');
const TRICKY_PIECES = ['/', '?', '=', '&', '%', '%41', '%zz', '+', '#', ' ', '\t', '"', "'"];
const trickyPiece = fc.constantFrom(...TRICKY_PIECES, '<', 'é', '\\', ';', ':', '@', '!', '//');
const token = fc
  .array(fc.oneof({ arbitrary: plainPiece, weight: 30 }, { arbitrary: trickyPiece, weight: 1 }), {
    maxLength: 3,
  })
  .map((pieces) => pieces.join(''));
const targets = fc
  .tuple(
    fc.constantFrom('/socket.io/', '/', '//', '/a/b.c/', ''),
    fc.array(fc.tuple(token, token), { minLength: 1, maxLength: 4 }),
  )
  .map(([path, pairs]) => `${path}?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}`);

describe('plainQuery: the query of a plain target, read as engine.io reads it', () => {
  it.each([
    [
      '/socket.io/?EIO=4&transport=polling&t=PZ3x-Ab',
      { EIO: '4', transport: 'polling', t: 'PZ3x-Ab' },
    ],
    [
      '/socket.io/?EIO=4&transport=websocket&sid=a_B-9',
      { EIO: '4', transport: 'websocket', sid: 'a_B-9' },
    ],
    [
      '/socket.io/?EIO=3&transport=polling&b64=1&t=x.y~z',
      { EIO: '3', transport: 'polling', b64: '1', t: 'x.y~z' },
    ],
    ['/custom/path/?EIO=4&token=', { EIO: '4', token: '' }],
    ['/?constructor=1&toString=2', { constructor: '1', toString: '2' }],
  ])('%s', (target, expected) => {
    const ours = plainQuery(target, Object.prototype)!;
    expect({ ...ours }).toEqual(expected);
    expectSameQuery(ours, engineQuery(target));
  });

  it.each([
    '/socket.io/',
    '/socket.io/?',
    '/socket.io/?EIO=4&&transport=polling',
    '/socket.io/?EIO=4&transport',
    '/socket.io/?EIO=4&EIO=3',
    '/socket.io/?__proto__=x',
    '/socket.io/?token=a%20b',
    '/socket.io/?token=a+b',
    '/socket.io/?token=a#b',
    '/socket.io/?token=é',
    '//evil.example/?EIO=4',
    'http://host/socket.io/?EIO=4',
    '/socket.io/?a=1?b=2',
    '/socket.io/?a=b=c',
  ])('left to engine.io: %s', (target) => {
    expect(plainQuery(target, Object.prototype)).toBeUndefined();
  });

  it('never reads a query otherwise than engine.io, old or new, whenever it reads one', () => {
    const RUNS = propertyRuns(2_000).numRuns;
    let read = 0;
    fc.assert(
      fc.property(targets, (target) => {
        const ours = plainQuery(target, Object.prototype);
        if (ours === undefined) return;
        read++;
        expectSameQuery(ours, engineQuery(target));
        expectSameQuery(plainQuery(target, null)!, legacyEngineQuery(target));
      }),
      propertyRuns(RUNS),
    );
    // Not a property that holds by reading nothing.
    expect(read).toBeGreaterThan(RUNS / 8);
  });
});

describe('plainQueryPreset', () => {
  it("sets engine.io's query on a plain request, on an object like engine.io's", () => {
    const preset = plainQueryPreset(new Server())!;
    const req = { url: '/socket.io/?EIO=4&transport=polling&t=1' } as { _query?: Query };
    preset(req as never);
    expectSameQuery(req._query!, engineQuery('/socket.io/?EIO=4&transport=polling&t=1'));
  });

  it('keeps a query that is already there, and leaves the rest to engine.io', () => {
    const preset = plainQueryPreset(new Server())!;
    const parsed = { from: 'connect' };
    const kept = { url: '/socket.io/?EIO=4', _query: parsed };
    const unplain = { url: '/socket.io/?EIO=4&token=a%20b' } as { _query?: Query };
    preset(kept as never);
    preset(unplain as never);
    expect(kept._query).toBe(parsed);
    expect(unplain._query).toBeUndefined();
  });

  it('matches the shape of an engine whose parse is the older querystring one', () => {
    const legacy = {
      prepare: (req: { url: string; _query?: Query }) =>
        (req._query ??= legacyEngineQuery(req.url)),
    };
    const req = { url: '/socket.io/?EIO=4&transport=polling' } as { _query?: Query };
    plainQueryPreset(legacy)!(req as never);
    expect(Object.getPrototypeOf(req._query)).toBeNull();
    expect({ ...req._query }).toEqual({ EIO: '4', transport: 'polling' });
  });

  it.each([
    ['no prepare', {}],
    [
      'a prepare that throws',
      {
        prepare: () => {
          throw new Error('changed');
        },
      },
    ],
    ['a prepare that sets nothing', { prepare: () => {} }],
    [
      'a prepare that parses otherwise',
      { prepare: (req: { _query?: Query }) => (req._query = { EIO: 4 }) },
    ],
    [
      'a prepare that reads one value otherwise',
      {
        prepare: (req: { url: string; _query?: Query }) =>
          (req._query = { ...engineQuery(req.url), t: 'other' }),
      },
    ],
    [
      'a prepare that names one value otherwise',
      {
        prepare: (req: { url: string; _query?: Query }) => {
          const { t, ...rest } = engineQuery(req.url);
          req._query = { ...rest, T: t };
        },
      },
    ],
    [
      'a prepare that adds a name',
      {
        prepare: (req: { url: string; _query?: Query }) =>
          (req._query = { ...engineQuery(req.url), extra: '' }),
      },
    ],
    [
      'a prepare that makes a Map',
      { prepare: (req: { _query?: unknown }) => (req._query = new Map()) },
    ],
  ])('is not used with an engine with %s', (_name, engine) => {
    expect(plainQueryPreset(engine)).toBeUndefined();
  });
});
