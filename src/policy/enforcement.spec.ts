import { describe, expect, it } from 'vitest';
import { allowedDecision, refusedDecision } from '../../test/support/decisions.js';
import { effectiveDecision, enforce } from './enforcement.js';

const ALLOWED = allowedDecision('https://a.example');
const REFUSED = refusedDecision('https://evil.example', 'not_allowed');

describe('enforce', () => {
  it('lets an allowed decision proceed in either mode', () => {
    for (const mode of ['enforce', 'report-only'] as const) {
      expect(enforce(ALLOWED, mode)).toEqual({
        proceeds: true,
        reportOnly: false,
        effective: ALLOWED,
      });
      expect(effectiveDecision(ALLOWED, mode)).toBe(ALLOWED);
    }
  });

  it('stops a refusal in enforce mode', () => {
    expect(enforce(REFUSED, 'enforce')).toEqual({
      proceeds: false,
      reportOnly: false,
      effective: REFUSED,
    });
    expect(effectiveDecision(REFUSED, 'enforce')).toBe(REFUSED);
  });

  it('lets a refusal proceed in report-only mode, as allowed with the claimed origin', () => {
    const allowedInstead = {
      allowed: true,
      origin: 'https://evil.example',
      matchedEntry: undefined,
    };
    expect(enforce(REFUSED, 'report-only')).toEqual({
      proceeds: true,
      reportOnly: true,
      effective: allowedInstead,
    });
    expect(effectiveDecision(REFUSED, 'report-only')).toEqual(allowedInstead);
  });
});
