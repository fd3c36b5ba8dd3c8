import { describe, expect, it } from 'vitest';
import { targetFromApp, targetFromUrl } from './probe-target.js';

describe('targetFromUrl', () => {
  it('reads a wss:// URL: TLS, default port, path and query', () => {
    expect(targetFromUrl('wss://App.Example.com/chat?room=1', 'ws', undefined)).toEqual({
      transport: 'ws',
      tls: true,
      host: 'app.example.com',
      port: 443,
      hostHeader: 'app.example.com',
      path: '/chat?room=1',
      extraQuery: '',
      url: 'wss://app.example.com:443/chat?room=1',
    });
  });

  it('takes the engine.io path from a Socket.IO URL, /socket.io/ by default, and keeps its query', () => {
    expect(targetFromUrl('http://127.0.0.1:3000', 'socket.io', undefined)).toMatchObject({
      tls: false,
      port: 3000,
      hostHeader: '127.0.0.1:3000',
      path: '/socket.io/',
      url: 'http://127.0.0.1:3000/socket.io/',
    });
    expect(targetFromUrl('https://[::1]:8443/io?token=x', 'socket.io', undefined)).toMatchObject({
      host: '::1',
      hostHeader: '[::1]:8443',
      path: '/io/',
      extraQuery: 'token=x',
      url: 'https://[::1]:8443/io/',
    });
    expect(targetFromUrl('https://h', 'socket.io', '/custom')).toMatchObject({ path: '/custom/' });
  });

  it.each([
    ['not a url', /is not a URL/],
    ['ftp://h/', /has the scheme "ftp:"/],
    ['wss://user:pw@h/', /contains credentials/],
  ])('refuses %j', (text, message) => {
    expect(() => targetFromUrl(text, 'ws', undefined)).toThrow(message);
  });
});

describe('targetFromApp', () => {
  const app = (address: unknown) => ({ getHttpServer: () => ({ address: () => address }) });

  it('probes an app listening on every interface on the loopback address', () => {
    expect(
      targetFromApp(app({ address: '::', port: 4000, family: 'IPv6' }), 'ws', '/chat'),
    ).toMatchObject({
      host: '127.0.0.1',
      hostHeader: '127.0.0.1:4000',
      url: 'ws://127.0.0.1:4000/chat',
    });
    expect(
      targetFromApp(app({ address: '::1', port: 4000, family: 'IPv6' }), 'ws', undefined),
    ).toMatchObject({
      host: '::1',
      hostHeader: '[::1]:4000',
      path: '/',
    });
  });

  it('refuses what is not a listening app', () => {
    expect(() => targetFromApp(app(null), 'ws', undefined)).toThrow(/is not listening/);
    expect(() => targetFromApp({} as never, 'ws', undefined)).toThrow(/getHttpServer/);
  });
});
