import { fullFormats } from 'ajv-formats/dist/formats';
import fc from 'fast-check';
import { dateTimeFormat } from './date-time-format';

const full = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;
const fast = dateTimeFormat.validate as (text: string) => boolean;

describe('the date-time format', () => {
  it.each([
    ['2026-01-31T23:30:00.000Z', true],
    ['2024-02-29T00:00:00.000Z', true],
    ['2026-02-29T00:00:00.000Z', false],
    ['2026-02-30T00:00:00.000Z', false],
    ['2100-02-29T12:00:00.000Z', false],
    ['2000-02-29T12:00:00.000Z', true],
    ['2026-13-01T00:00:00.000Z', false],
    ['2026-00-10T00:00:00.000Z', false],
    ['2026-04-31T00:00:00.000Z', false],
    ['2026-01-01T24:00:00.000Z', false],
    ['2026-01-01T23:60:00.000Z', false],
    ['2016-12-31T23:59:60.000Z', true],
    ['2026-01-01T09:00:00+07:00', true],
    ['2026-01-01t09:00:00.5z', true],
    ['2026-01-01T09:00:00', false],
    ['2026-01-01T0a:00:00.000Z', false],
    ['２０２６-01-01T00:00:00.000Z', false],
  ])('answers %s with %s, as ajv-formats does', (text, valid) => {
    expect(fast(text)).toBe(valid);
    expect(full(text)).toBe(valid);
  });

  it('answers as ajv-formats does on any instant, any string of the canonical shape, and any string', () => {
    const digit = fc.constantFrom(...'0123456789x'.split(''));
    const field = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
    const shaped = fc
      .tuple(field(4), field(2), field(2), field(2), field(2), field(2), field(3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    const instants = fc
      .date({
        min: new Date('0000-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString());
    fc.assert(
      fc.property(fc.oneof(shaped, instants, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        expect(fast(text)).toBe(full(text));
      }),
      { numRuns: 20_000 },
    );
  });
});
