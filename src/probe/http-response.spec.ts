import { describe, expect, it } from 'vitest';
import { completeBody, MAX_BODY_BYTES, parseHead } from './http-response.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('parseHead', () => {
  it('waits for the blank line, then reads the status line and headers', () => {
    expect(parseHead(bytes('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n'))).toBeUndefined();
    const head = parseHead(
      bytes('HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\nX-A: 1\r\nx-a: 2\r\n\r\nForbidden'),
    );
    expect(head).toMatchObject({ status: 403, reason: 'Forbidden', bodyStart: 61 });
    expect([...head!.headers]).toEqual([
      ['content-length', '9'],
      ['x-a', '1, 2'],
    ]);
  });

  it('reads a status line without a reason, and anything else as status 0', () => {
    expect(parseHead(bytes('HTTP/1.1 101\r\n\r\n'))).toMatchObject({ status: 101, reason: '' });
    expect(parseHead(bytes('SSH-2.0-OpenSSH\r\n\r\n'))).toMatchObject({ status: 0 });
  });
});

describe('completeBody', () => {
  it('follows Content-Length', () => {
    const data = bytes('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n0{"si');
    expect(
      completeBody(parseHead(data)!, data.subarray(0, data.length - 1), false),
    ).toBeUndefined();
    expect(completeBody(parseHead(data)!, data, false)).toBe('0{"si');
  });

  it('decodes a chunked body once its last chunk is there', () => {
    const partial = bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
    expect(completeBody(parseHead(partial)!, partial, false)).toBeUndefined();
    const whole = Buffer.concat([partial, bytes('2\r\nde\r\n0\r\n\r\n')]);
    expect(completeBody(parseHead(whole)!, whole, false)).toBe('abcde');
  });

  it('reads to the end of the connection without framing, and never more than the cap', () => {
    const data = bytes('HTTP/1.1 200 OK\r\n\r\nhello');
    expect(completeBody(parseHead(data)!, data, false)).toBeUndefined();
    expect(completeBody(parseHead(data)!, data, true)).toBe('hello');
    const big = Buffer.concat([
      bytes('HTTP/1.1 200 OK\r\n\r\n'),
      Buffer.alloc(MAX_BODY_BYTES + 10, 0x61),
    ]);
    expect(completeBody(parseHead(big)!, big, false)).toHaveLength(MAX_BODY_BYTES);
  });
});
