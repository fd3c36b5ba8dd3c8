import { describe, expect, it } from 'vitest';
import { parseSerializedOrigin, type ParsedOrigin } from '../policy/serialized-origin.js';
import { MAX_PROBE_REQUESTS, planRequests, requestCount } from './request-plan.js';
import { deriveVariants } from './variants.js';

const allowed = [parseSerializedOrigin('https://app.example.com') as ParsedOrigin];
const variants = deriveVariants(allowed, { browserOnly: false });

describe('planRequests', () => {
  it('sends every variant but JSONP as one upgrade to a ws endpoint: 21 requests', () => {
    const plan = planRequests(variants, 'ws');
    expect(plan.every((step) => step.request === 'upgrade')).toBe(true);
    expect(plan.map((step) => step.variant.id)).not.toContain('jsonp');
    expect(requestCount(plan)).toBe(21);
  });

  it('sends engine.io requests to Socket.IO: 48 requests, sid requests counting their session', () => {
    const plan = planRequests(variants, 'socket.io');
    const kinds = (id: string) => plan.filter((s) => s.variant.id === id).map((s) => s.request);
    expect(kinds('allowed')).toEqual(['polling', 'upgrade']);
    expect(kinds('other-site')).toEqual(['polling', 'upgrade', 'poll+sid', 'upgrade+sid']);
    expect(kinds('fetch-cross-site')).toEqual(['polling', 'upgrade', 'poll+sid']);
    expect(kinds('ws-version-8')).toEqual(['upgrade']);
    expect(kinds('jsonp')).toEqual(['polling']);
    expect(kinds('null')).toEqual(['polling', 'upgrade']);
    expect(plan.length).toBe(45);
    expect(requestCount(plan)).toBe(48);
    expect(requestCount(plan)).toBeLessThanOrEqual(MAX_PROBE_REQUESTS);
  });

  it('puts the controls first', () => {
    const two = deriveVariants(
      [allowed[0]!, parseSerializedOrigin('https://admin.example.com') as ParsedOrigin],
      { browserOnly: false },
    );
    const plan = planRequests(two, 'ws');
    expect(plan.slice(0, 2).map((s) => s.variant.kind)).toEqual(['control', 'control']);
    expect(plan.slice(2).some((s) => s.variant.kind === 'control')).toBe(false);
  });
});
