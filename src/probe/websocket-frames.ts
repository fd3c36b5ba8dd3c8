import { randomBytes } from 'node:crypto';

/** RFC 6455 §7.4.1: normal closure. */
const NORMAL_CLOSURE = 1000;

/**
 * A client's close frame with code 1000 and no reason: the only thing the probe sends after a
 * handshake is accepted. Client frames must be masked (RFC 6455 §5.3).
 */
export function closeFrame(): Buffer {
  const mask = randomBytes(4);
  const payload = Buffer.from([NORMAL_CLOSURE >> 8, NORMAL_CLOSURE & 0xff]);
  for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from([0x88, 0x80 | payload.length]), mask, payload]);
}

/**
 * Whether the frames a server sent after its `101` include a close frame (opcode 8). Frames
 * before it (a greeting, engine.io's open packet) are skipped; an incomplete frame ends the scan.
 */
export function hasCloseFrame(data: Buffer): boolean {
  let offset = 0;
  while (offset + 2 <= data.length) {
    const opcode = data[offset]! & 0x0f;
    if (opcode === 0x8) return true;
    const masked = (data[offset + 1]! & 0x80) !== 0;
    let length = data[offset + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (offset + 4 > data.length) return false;
      length = data.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (offset + 10 > data.length) return false;
      length = Number(data.readBigUInt64BE(offset + 2));
      header = 10;
    }
    offset += header + (masked ? 4 : 0) + length;
  }
  return false;
}
