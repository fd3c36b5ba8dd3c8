import { describe, expect, it } from 'vitest';
import { closeFrame, hasCloseFrame } from './websocket-frames.js';

describe('closeFrame', () => {
  it('is a masked, final close frame with code 1000 and no reason', () => {
    const frame = closeFrame();
    expect(frame).toHaveLength(8);
    expect(frame[0]).toBe(0x88);
    expect(frame[1]).toBe(0x82);
    const mask = frame.subarray(2, 6);
    const payload = frame.subarray(6).map((byte, i) => byte ^ mask[i % 4]!);
    expect(Buffer.from(payload).readUInt16BE(0)).toBe(1000);
  });
});

describe('hasCloseFrame', () => {
  const text = (payload: string) =>
    Buffer.concat([Buffer.from([0x81, payload.length]), Buffer.from(payload)]);
  const close = Buffer.from([0x88, 0x02, 0x03, 0xe8]);

  it('finds a close frame after other frames, of every length encoding', () => {
    const long = Buffer.concat([Buffer.from([0x81, 126, 0x01, 0x00]), Buffer.alloc(256)]);
    expect(hasCloseFrame(Buffer.concat([text('0{"sid":"x"}'), long, close]))).toBe(true);
    expect(hasCloseFrame(close)).toBe(true);
  });

  it('finds none in data frames or an incomplete frame', () => {
    expect(hasCloseFrame(text('hello'))).toBe(false);
    expect(hasCloseFrame(Buffer.from([0x81, 126, 0x01]))).toBe(false);
    expect(hasCloseFrame(Buffer.alloc(0))).toBe(false);
  });
});
