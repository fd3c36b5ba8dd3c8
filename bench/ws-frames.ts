/**
 * Just enough of RFC 6455 framing for a load generator: build one masked client text frame,
 * and count the server's (unmasked) frames in a byte stream without decoding payloads.
 */

const MASK = Buffer.from([0x12, 0x34, 0x56, 0x78]);

/** A masked text frame (clients must mask); built once and written again and again. */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x81, 0x80 | length])
      : Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff]);
  if (length > 0xffff) throw new Error('frame too long for this helper');
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ MASK[i & 3]!;
  return Buffer.concat([header, MASK, masked]);
}

const EMPTY = Buffer.alloc(0);

/** Counts complete frames from the server, across arbitrary chunk boundaries. */
export class FrameCounter {
  /** Header bytes of a frame whose header was split across chunks. */
  private partialHeader = EMPTY;
  /** Payload bytes of the current frame still to skip. */
  private remaining = 0;
  /** Opcode of the last frame whose header was read (0x1 text, 0x8 close, ...). */
  lastOpcode = 0;
  /** The first text payload since this was last reset to `undefined`, for a content check. */
  firstText: string | undefined;
  private collecting: Buffer[] | undefined;

  /** @returns the number of frames that ended in this chunk. */
  feed(chunk: Buffer): number {
    const bytes =
      this.partialHeader.length === 0 ? chunk : Buffer.concat([this.partialHeader, chunk]);
    this.partialHeader = EMPTY;
    let frames = 0;
    let offset = 0;
    while (offset < bytes.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, bytes.length - offset);
        this.collecting?.push(bytes.subarray(offset, offset + take));
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) frames += this.endFrame();
        continue;
      }
      const header = parseHeader(bytes, offset);
      if (header === undefined) {
        this.partialHeader = Buffer.from(bytes.subarray(offset));
        break;
      }
      offset += header.headerLength;
      this.lastOpcode = header.opcode;
      this.remaining = header.payloadLength;
      if (this.firstText === undefined && header.opcode === 0x1) this.collecting = [];
      if (this.remaining === 0) frames += this.endFrame();
    }
    return frames;
  }

  private endFrame(): number {
    if (this.collecting !== undefined) {
      this.firstText = Buffer.concat(this.collecting).toString('utf8');
      this.collecting = undefined;
    }
    return 1;
  }
}

function parseHeader(
  bytes: Buffer,
  at: number,
): { headerLength: number; payloadLength: number; opcode: number } | undefined {
  const available = bytes.length - at;
  if (available < 2) return undefined;
  const opcode = bytes[at]! & 0x0f;
  const short = bytes[at + 1]! & 0x7f;
  if (short < 126) return { headerLength: 2, payloadLength: short, opcode };
  if (short === 126) {
    return available < 4
      ? undefined
      : { headerLength: 4, payloadLength: bytes.readUInt16BE(at + 2), opcode };
  }
  return available < 10
    ? undefined
    : { headerLength: 10, payloadLength: Number(bytes.readBigUInt64BE(at + 2)), opcode };
}
