import { LIVE_CURSOR_MAX_LENGTH, LIVE_STREAMS } from '@ioc/contracts';

/**
 * A position in the live streams: for each stream (in `LIVE_STREAMS` order), for each partition of its topic,
 * the next Kafka offset to deliver. It is what every pushed message carries as `cursor`, and what a client sends
 * back as `resumeFrom` (docs/architecture.md, "Live gateway").
 */
export type LivePositions = number[][];

const VERSION = 1;
/** More partitions than any topic of the catalog will have; a larger count is a forged cursor. */
const MAX_PARTITIONS = 1024;

/** Why a cursor could not be read; never echoes the cursor itself. */
export class InvalidCursorError extends Error {
  constructor(reason: string) {
    super(`invalid cursor: ${reason}`);
    this.name = InvalidCursorError.name;
  }
}

function writeVarint(bytes: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) + 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
}

/**
 * Encodes positions as a compact url-safe string (`LiveCursorSchema`): a version, then per stream the partition
 * count and each partition's offset as unsigned LEB128 varints, in base64url.
 */
export function encodeCursor(positions: LivePositions): string {
  if (positions.length !== LIVE_STREAMS.length) throw new RangeError('one offset list per live stream');
  const bytes: number[] = [VERSION];
  for (const offsets of positions) {
    if (offsets.length > MAX_PARTITIONS) throw new RangeError('too many partitions');
    writeVarint(bytes, offsets.length);
    for (const offset of offsets) {
      if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError('offsets are safe integers ≥ 0');
      writeVarint(bytes, offset);
    }
  }
  return Buffer.from(bytes).toString('base64url');
}

/**
 * Reads a cursor back; anything but what {@link encodeCursor} writes is refused.
 * @throws InvalidCursorError
 */
export function decodeCursor(cursor: unknown): LivePositions {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > LIVE_CURSOR_MAX_LENGTH)
    throw new InvalidCursorError('not a cursor string');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError('not base64url');
  const bytes = Buffer.from(cursor, 'base64url');
  // Buffer decoding is lenient (it ignores stray bits): only the canonical spelling of the bytes is accepted.
  if (bytes.toString('base64url') !== cursor) throw new InvalidCursorError('not canonical base64url');
  let at = 0;
  const readVarint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (at >= bytes.length) throw new InvalidCursorError('truncated');
      const byte = bytes[at++];
      value += (byte & 0x7f) * scale;
      if (!Number.isSafeInteger(value)) throw new InvalidCursorError('offset out of range');
      if (byte < 0x80) {
        // A trailing zero byte would give a second spelling of the same number.
        if (byte === 0 && scale > 1) throw new InvalidCursorError('non-canonical number');
        return value;
      }
      scale *= 0x80;
    }
  };
  if (readVarint() !== VERSION) throw new InvalidCursorError('unknown version');
  const positions: LivePositions = [];
  for (let stream = 0; stream < LIVE_STREAMS.length; stream++) {
    const count = readVarint();
    if (count > MAX_PARTITIONS) throw new InvalidCursorError('too many partitions');
    const offsets: number[] = [];
    for (let partition = 0; partition < count; partition++) offsets.push(readVarint());
    positions.push(offsets);
  }
  if (at !== bytes.length) throw new InvalidCursorError('trailing bytes');
  return positions;
}
