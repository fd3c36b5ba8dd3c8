import { describe, expect, it } from 'vitest';
import { fullWidthHost, punycodeLookalike } from './lookalike-hosts.js';

describe('punycodeLookalike', () => {
  it.each([
    ['example', 'xn--xample-2of'],
    ['localhost', 'xn--lcalhost-nbh'],
    // An astral character is two UTF-16 units: the twin still replaces the `a`, not its neighbour.
    ['\u{1F600}ab', 'xn--b-7sb33439a'],
  ])('swaps the first letter with a Cyrillic twin in %j', (label, lookalike) => {
    expect(punycodeLookalike(label)).toBe(lookalike);
  });

  it('has no lookalike for a label without such a letter', () => {
    expect(punycodeLookalike('mild')).toBeUndefined();
    expect(punycodeLookalike('\u{1F600}')).toBeUndefined();
  });
});

describe('fullWidthHost', () => {
  it('writes the first letter or digit of the host in full-width form', () => {
    expect(fullWidthHost('app.example.com')).toBe('\uff41pp.example.com');
    expect(fullWidthHost('1.example')).toBe('\uff11.example');
    expect(fullWidthHost('-x.example')).toBeUndefined();
  });
});
