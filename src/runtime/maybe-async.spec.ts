import { describe, expect, it } from 'vitest';
import { allowedDecision } from '../../test/support/decisions.js';
import { whenReady } from './maybe-async.js';

const ALLOWED = allowedDecision('https://app.example.com');

describe('whenReady', () => {
  it('applies a synchronous decision before returning', () => {
    const seen: unknown[] = [];
    whenReady(
      ALLOWED,
      (d) => seen.push(d),
      () => seen.push('failed'),
    );
    expect(seen).toEqual([ALLOWED]);
  });

  it('applies a pending decision once it settles', async () => {
    const seen: unknown[] = [];
    const pending = Promise.resolve(ALLOWED);
    whenReady(
      pending,
      (d) => seen.push(d),
      () => seen.push('failed'),
    );
    expect(seen).toEqual([]);
    await pending;
    expect(seen).toEqual([ALLOWED]);
  });

  it('fails closed when a pending decision rejects', async () => {
    const seen: unknown[] = [];
    const pending = Promise.reject(new Error('predicate crashed'));
    whenReady(
      pending,
      (d) => seen.push(d),
      () => seen.push('failed'),
    );
    await pending.catch(() => undefined);
    expect(seen).toEqual(['failed']);
  });
});
