import { describe, expect, it } from 'vitest';
import { isJsonpRequest } from './jsonp-request.js';

describe('isJsonpRequest: finds every j parameter engine.io would read', () => {
  it.each([
    '/socket.io/?EIO=4&transport=polling&j=0',
    '/socket.io/?j=0&EIO=4&transport=polling',
    '/socket.io/?EIO=4&transport=polling&j=',
    '/socket.io/?EIO=4&transport=polling&j',
    '/socket.io/?EIO=3&transport=polling&j=1&sid=abc',
    // URLSearchParams decodes names, as engine.io's parse does.
    '/socket.io/?EIO=4&transport=polling&%6A=0',
    '/socket.io/?EIO=4&transport=polling&%6a=0',
    '/socket.io/?EIO=4&transport=polling&t=x#&j=0',
  ])('%s', (url) => {
    expect(isJsonpRequest(url)).toBe(true);
  });

  it.each([
    undefined,
    '/socket.io/',
    '/socket.io/?EIO=4&transport=polling',
    '/socket.io/?EIO=4&transport=polling&jj=0&J=0',
    '/j/socket.io/?EIO=4&transport=polling',
    // No `?`, no query: what follows the path is not read as one.
    '/socket.io/&j=0',
    '/socket.io/?EIO=4&transport=polling&x=j',
    '/socket.io/?EIO=4&transport=polling&x=%6A',
  ])('not JSONP: %s', (url) => {
    expect(isJsonpRequest(url)).toBe(false);
  });
});
