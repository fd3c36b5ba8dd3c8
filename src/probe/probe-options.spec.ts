import { describe, expect, it } from 'vitest';
import { type ProbeOptions, resolveSettings } from './probe-options.js';

describe('resolveSettings', () => {
  it('fills in the defaults', () => {
    expect(resolveSettings({ allowed: ['HTTPS://App.Example.com:443'] })).toEqual({
      allowed: [
        {
          scheme: 'https',
          host: 'app.example.com',
          port: undefined,
          serialized: 'https://app.example.com',
        },
      ],
      browserOnly: false,
      cookie: undefined,
      timeoutMs: 5000,
      insecure: false,
      concurrency: 1,
    });
  });

  it.each([
    [{ allowed: [] }, /Say which origin is allowed/],
    [{ allowed: ['*'] }, /is not one page's origin/],
    [{ allowed: ['https://*.example.com'] }, /is not one page's origin/],
    [{ allowed: ['null'] }, /is not one page's origin/],
    [{ allowed: ['https://app.example.com/'] }, /has a path \(even a trailing slash\)/],
    [{ allowed: ['capacitor://localhost'] }, /is not a web page's origin \(http or https\)/],
    [{ allowed: ['https://a.example'], cookie: 'a=1\r\nX-Injected: 1' }, /one line of text/],
    [{ allowed: ['https://a.example'], timeoutMs: 50 }, /from 100 to 60000, not 50/],
    [{ allowed: ['https://a.example'], concurrency: 9 }, /from 1 to 8, not 9/],
  ] as [ProbeOptions, RegExp][])('refuses %j', (options, message) => {
    expect(() => resolveSettings(options)).toThrow(message);
  });
});
