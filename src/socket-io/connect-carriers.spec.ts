import { describe, expect, it } from 'vitest';
import { connectNamespace } from './connect-carriers.js';

describe('connectNamespace: the namespace of a CONNECT packet, as Socket.IO reads it', () => {
  it.each([
    ['0', 4, '/'],
    ['0{"token":"x"}', 4, '/'],
    ['0/admin', 4, '/admin'],
    ['0/admin,{"token":"x"}', 4, '/admin'],
    ['0/admin,', 4, '/admin'],
    // Engine.io 4 clients carry auth in the payload; a query is part of the name.
    ['0/admin?x=1,', 4, '/admin?x=1'],
    // Engine.io 3 (socket.io-client 2) clients add a query, which Socket.IO strips.
    ['0/admin?token=1', 3, '/admin'],
    ['0/admin?token=1,', 3, '/admin'],
    ['0/admin#x', 3, '/admin'],
    ['0', 3, '/'],
    // Socket.IO keeps the WHATWG URL path, which resolves dot segments and backslashes.
    ['0/%2e,', 3, '/'],
    ['0/x/..,', 3, '/'],
    ['0/\\evil,', 3, '/'],
    ['0/wide/../strict,', 3, '/strict'],
  ])('%s (EIO%s) → %s', (data, protocol, namespace) => {
    expect(connectNamespace(data, protocol)).toBe(namespace);
  });
});
