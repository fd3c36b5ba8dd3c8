/**
 * Which Socket.IO namespace a gateway serves, as a comparable key.
 *
 * Pure and free of any `socket.io` import: `OriginPolicyRegistry` (loaded by the package root)
 * uses it to group gateway policies by namespace, and `withOriginCheck` uses it to find the
 * policy of the namespace Nest asks it to create.
 */

/** The namespace of a gateway without one: Socket.IO's main namespace. */
export const MAIN_NAMESPACE = '/';

/**
 * Equal for the namespace written in `@WebSocketGateway({ namespace })` and the value Nest later
 * passes to the adapter's `create()` (with a leading slash added), and equal to what
 * `io.of(name)` serves: no namespace and `''` are the main namespace `/`, `chat` is `/chat`.
 * A dynamic (RegExp) namespace is keyed by its source text; any other value (a matcher function,
 * an object) by identity: the same value always gets the same key, two different ones never do.
 */
export function namespaceKey(namespace: unknown): string {
  if (namespace === undefined || namespace === null || namespace === '') return MAIN_NAMESPACE;
  if (typeof namespace === 'string') {
    return namespace.startsWith('/') ? namespace : `/${namespace}`;
  }
  if (namespace instanceof RegExp) return `regexp:${String(namespace)}`;
  return identityKey(namespace);
}

/** Objects and functions, held weakly so a key never keeps its namespace alive. */
const objectKeys = new WeakMap<object, string>();
/** Other primitives (numbers, symbols …): equal values share a key. */
const primitiveKeys = new Map<unknown, string>();
let lastIdentity = 0;

function identityKey(namespace: unknown): string {
  const isObject =
    (typeof namespace === 'object' && namespace !== null) || typeof namespace === 'function';
  const known = isObject ? objectKeys.get(namespace) : primitiveKeys.get(namespace);
  if (known !== undefined) return known;
  lastIdentity += 1;
  const key = `other:#${lastIdentity}`;
  if (isObject) objectKeys.set(namespace, key);
  else primitiveKeys.set(namespace, key);
  return key;
}

/** How a namespace key is shown in errors and warnings. */
export function describeNamespace(key: string): string {
  return key.startsWith('regexp:') ? `namespaces matching ${key.slice(7)}` : `namespace "${key}"`;
}
