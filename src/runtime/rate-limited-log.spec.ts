import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from './rate-limited-log.js';

function capture() {
  const lines: string[] = [];
  return { lines, logger: { warn: (message: unknown) => void lines.push(String(message)) } };
}

describe('RateLimitedLog', () => {
  function logWithClock(limits = { windowMs: 1000, linesPerWindow: 3 }) {
    const { lines, logger } = capture();
    let time = 0;
    const log = new RateLimitedLog(logger, limits, () => time);
    return { log, lines, advance: (ms: number) => (time += ms) };
  }

  it('writes an identical line once per window and reports what it held back', () => {
    const { log, lines, advance } = logWithClock();
    for (let i = 0; i < 50; i++) log.warn('same');
    expect(lines).toEqual(['same']);
    advance(1000);
    log.warn('same');
    expect(lines).toEqual(['same', 'same (49 more lines were not logged in the previous 1s)']);
  });

  it('caps distinct lines per window, so endless distinct origins cannot flood the log', () => {
    const { log, lines, advance } = logWithClock();
    for (let i = 0; i < 10_000; i++) log.warn(`line ${i}`);
    expect(lines).toHaveLength(3);
    advance(999);
    log.warn('later');
    expect(lines).toHaveLength(3);
    advance(1);
    log.warn('later');
    expect(lines[3]).toBe('later (9998 more lines were not logged in the previous 1s)');
  });
});
