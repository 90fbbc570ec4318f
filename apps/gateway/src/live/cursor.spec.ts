import { LIVE_CURSOR_MAX_LENGTH, LIVE_STREAMS, LiveCursorSchema } from '@ioc/contracts';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, InvalidCursorError, type LivePositions } from './cursor';

const positions = fc.array(fc.array(fc.maxSafeNat(), { maxLength: 24 }), {
  minLength: LIVE_STREAMS.length,
  maxLength: LIVE_STREAMS.length,
});
const pattern = new RegExp(LiveCursorSchema.pattern as string);

describe('the live cursor', () => {
  it('reads back exactly the positions it was written from, in a url-safe string of the contract', () => {
    fc.assert(
      fc.property(positions, (written: LivePositions) => {
        const cursor = encodeCursor(written);
        expect(cursor).toMatch(pattern);
        expect(decodeCursor(cursor)).toEqual(written);
      }),
    );
  });

  it('stays compact for the catalog topics (24 partitions at large offsets)', () => {
    const cursor = encodeCursor(
      [[...Array(6)], [...Array(6)], [...Array(3)], [...Array(6)], [...Array(3)]].map((p) =>
        p.map(() => 2 ** 40),
      ),
    );
    expect(cursor.length).toBeLessThanOrEqual(256);
    expect(cursor.length).toBeLessThanOrEqual(LIVE_CURSOR_MAX_LENGTH);
  });

  it.each([
    ['empty', ''],
    ['not a string', 42],
    ['not base64url', 'abc+/='],
    ['a dot', 'AQ.A'],
    ['unknown version', Buffer.from([2, 0, 0, 0, 0, 0]).toString('base64url')],
    ['truncated', Buffer.from([1, 1]).toString('base64url')],
    ['trailing bytes', Buffer.from([1, 0, 0, 0, 0, 0, 7]).toString('base64url')],
    ['too many partitions', Buffer.from([1, 0xff, 0x7f]).toString('base64url')],
    [
      'an offset beyond 2^53',
      Buffer.from([1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).toString('base64url'),
    ],
    ['a non-canonical number', Buffer.from([1, 1, 0x80, 0x00, 0, 0, 0, 0]).toString('base64url')],
    ['too long', 'A'.repeat(LIVE_CURSOR_MAX_LENGTH + 1)],
  ])('refuses %s', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });

  it('refuses any hostile string with its own error, never another', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.base64String({ maxLength: 300 }),
          fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
        ),
        (hostile) => {
          try {
            const decoded = decodeCursor(hostile);
            // What decodes is a cursor the encoder writes the same way.
            expect(encodeCursor(decoded)).toBe(hostile);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidCursorError);
            expect((error as Error).message).not.toContain(hostile.length > 3 ? hostile : '\u0000');
          }
        },
      ),
    );
  });

  it('writes offsets only: a negative or fractional offset is a bug of the caller', () => {
    expect(() => encodeCursor([[-1], [], [], [], []])).toThrow(RangeError);
    expect(() => encodeCursor([[1.5], [], [], [], []])).toThrow(RangeError);
    expect(() => encodeCursor([[]])).toThrow(RangeError);
  });
});
