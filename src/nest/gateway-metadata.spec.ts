import { WebSocketGateway } from '@nestjs/websockets';
import { describe, expect, it } from 'vitest';
import {
  describeEndpoint,
  endpointOf,
  isGateway,
  readGatewayEndpoint,
} from './gateway-metadata.js';

describe('gateway endpoints', () => {
  it('reads the metadata @WebSocketGateway writes (fails if Nest renames its keys)', () => {
    @WebSocketGateway(4321, { path: 'chat/' })
    class OwnPort {}
    @WebSocketGateway({ path: '/ws' })
    class Shared {}
    @WebSocketGateway()
    class Bare {}
    @WebSocketGateway(4322)
    class OwnPortNoPath {}
    class NotAGateway {}

    expect([OwnPort, Shared, Bare, OwnPortNoPath].every(isGateway)).toBe(true);
    expect(isGateway(NotAGateway)).toBe(false);
    expect(isGateway(undefined)).toBe(false);
    expect(readGatewayEndpoint(OwnPort)).toEqual({ port: 4321, path: '/chat' });
    expect(readGatewayEndpoint(Shared)).toEqual({ port: 0, path: '/ws' });
    expect(readGatewayEndpoint(Bare)).toEqual({ port: 0, path: '/' });
    expect(readGatewayEndpoint(OwnPortNoPath)).toEqual({ port: 4322, path: undefined });
  });

  it('normalizes paths the way WsAdapter routes them', () => {
    expect(endpointOf(0, '//a//b/')).toEqual({ port: 0, path: '/a/b' });
    expect(endpointOf(0, '')).toEqual({ port: 0, path: '/' });
    expect(describeEndpoint({ port: 0, path: '/ws' })).toBe(`the app's HTTP server, path "/ws"`);
    expect(describeEndpoint({ port: 81, path: undefined })).toBe('port 81 (any path)');
  });
});
