import { Server } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { namespaceKey } from './namespace-key.js';

describe('namespaceKey', () => {
  // Never attached to an HTTP server, so it holds no sockets or timers to clean up.
  const io = new Server();

  it.each(['chat', '/chat', '/', 'a/b', '{/x'])(
    'keys %j as the name Socket.IO gives that namespace',
    (namespace) => {
      expect(namespaceKey(namespace)).toBe(io.of(namespace).name);
    },
  );

  it('keys a gateway without a namespace as the main namespace', () => {
    expect([namespaceKey(undefined), namespaceKey('')]).toEqual([io.sockets.name, io.sockets.name]);
  });

  it('keys a dynamic namespace by its pattern, apart from any named namespace', () => {
    expect(namespaceKey(/^\/room-\d+$/)).toBe(namespaceKey(/^\/room-\d+$/));
    expect(namespaceKey(/^\/room-\d+$/)).not.toBe(namespaceKey('/^\\/room-\\d+$/'));
  });

  it('keys any other namespace (a matcher function, an object) by identity', () => {
    const rooms = (name: string) => name.startsWith('/room-');
    const lobbies = (name: string) => name.startsWith('/lobby-');
    const first = {};
    const second = {};

    expect(namespaceKey(rooms)).toBe(namespaceKey(rooms));
    expect(namespaceKey(first)).toBe(namespaceKey(first));
    expect(namespaceKey(rooms)).not.toBe(namespaceKey(lobbies));
    expect(namespaceKey(first)).not.toBe(namespaceKey(second));
    expect(namespaceKey(first)).not.toBe(namespaceKey(rooms));
    expect(namespaceKey(first)).not.toBe(namespaceKey('[object Object]'));
    expect(namespaceKey(first)).not.toBe(namespaceKey(/\[object Object\]/));
  });
});
