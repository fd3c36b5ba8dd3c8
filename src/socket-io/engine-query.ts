import type { IncomingMessage } from 'node:http';

/** A request as engine.io's `prepare` reads and writes it. */
interface EngineRequest {
  readonly url?: string | undefined;
  _query?: Record<string, unknown>;
}

interface PreparingEngine {
  prepare(req: EngineRequest): void;
}

/**
 * A target whose query engine.io's parser and a plain split read alike: a path (not `//`, which
 * a URL parser reads as a host) and `name=value` pairs of unreserved characters only, so that
 * nothing is percent-decoded, turned from `+` into a space, or cut at a `#`, in either of the
 * parsers engine.io 6.6 has had (`URLSearchParams`, and before it `querystring` over
 * `url.parse`).
 */
const PLAIN_TARGET = /^\/(?!\/)[\w.~/-]*\?[\w.~-]+=[\w.~-]*(?:&[\w.~-]+=[\w.~-]*)*$/;

/** Parsed by engine.io itself once, when the check is installed, to learn the object it makes. */
const SAMPLE_TARGET = '/socket.io/?EIO=4&transport=polling&t=Pa_1.b~c-d';

/**
 * Sets `req._query` for engine.io before it handles the request, when the query is plain:
 * engine.io's `prepare` keeps a `_query` already there ("e.g. from connect") and otherwise
 * parses a WHATWG URL for every request, the polling handshake and every later poll and POST
 * included. A Socket.IO client's own queries (`EIO`, `transport`, `t`, `sid`) are plain.
 *
 * Returns `undefined`, and engine.io parses every query itself, unless engine.io's own parse
 * of a sample gives what this one gives: the same values on an object of the same prototype.
 * Queries that are not plain, repeat a name (an array for `querystring`, the last value for
 * `URLSearchParams`) or name `__proto__` are left to engine.io.
 */
export function plainQueryPreset(engine: object): ((req: IncomingMessage) => void) | undefined {
  const sample: EngineRequest = { url: SAMPLE_TARGET };
  try {
    // Throws too when there is no `prepare` to call.
    (engine as PreparingEngine).prepare(sample);
  } catch {
    return undefined;
  }
  const prototype = sample._query === undefined ? undefined : Object.getPrototypeOf(sample._query);
  if (prototype !== null && prototype !== Object.prototype) return undefined;
  if (!sameEntries(plainQuery(SAMPLE_TARGET, prototype)!, sample._query!)) return undefined;
  return (req) => {
    const request = req as EngineRequest;
    if (request._query !== undefined) return;
    const query = plainQuery(request.url ?? '', prototype);
    if (query !== undefined) request._query = query;
  };
}

/** The query of a plain target, on an object of the given prototype; `undefined` otherwise. */
export function plainQuery(
  target: string,
  prototype: object | null,
): Record<string, string> | undefined {
  if (!PLAIN_TARGET.test(target)) return undefined;
  const query = (prototype === null ? Object.create(null) : {}) as Record<string, string>;
  for (const pair of target.slice(target.indexOf('?') + 1).split('&')) {
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals);
    if (name === '__proto__' || Object.hasOwn(query, name)) return undefined;
    query[name] = pair.slice(equals + 1);
  }
  return query;
}

function sameEntries(a: object, b: object): boolean {
  const entriesA = Object.entries(a);
  const entriesB = Object.entries(b);
  return (
    entriesA.length === entriesB.length &&
    entriesA.every(([name, value], i) => entriesB[i]![0] === name && entriesB[i]![1] === value)
  );
}
