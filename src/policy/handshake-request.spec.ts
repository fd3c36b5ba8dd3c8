import { describe, expect, it } from 'vitest';
import { headerRecord } from './handshake-request.js';

describe('handshake request helpers', () => {
  it('collects headers under lower-case names, repeated lines joined', () => {
    expect(headerRecord(['Cookie', 'a=1', 'X-Y', 'z', 'cookie', 'b=2', 'Dangling'])).toStrictEqual(
      Object.assign(Object.create(null), { cookie: 'a=1, b=2', 'x-y': 'z' }),
    );
  });
});
