import { parseIsoDuration } from './iso-duration';
import { InvalidDurationError } from './reference-data.errors';

describe(parseIsoDuration.name, () => {
  const sut = parseIsoDuration;

  it.each([
    ['PT4H', 4 * 3_600_000],
    ['P3D', 3 * 86_400_000],
    ['P2W', 14 * 86_400_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT1H30M', 90 * 60_000],
    ['PT1.5H', 90 * 60_000],
    ['PT0,5S', 500],
    ['PT45S', 45_000],
    ['PT0S', 0],
  ])('reads %s as %d ms', (text, expected) => {
    expect(sut(text)).toBe(expected);
  });

  it.each([
    ['an empty string', ''],
    ['a bare P', 'P'],
    ['a bare T', 'PT'],
    ['a unit without a number', 'PTH'],
    ['lower-case designators', 'pt4h'],
    ['a negative value', '-PT4H'],
    ['components out of order', 'PT30M1H'],
    ['hours without T', 'P4H'],
    ['surrounding spaces', ' PT4H'],
    ['years', 'P1Y'],
    ['months', 'P2M'],
    ['a fraction on a non-last component', 'PT1.5H30M'],
    ['a value beyond safe integers', `P${'9'.repeat(20)}D`],
    ['an overly long text', `PT${'1'.repeat(80)}S`],
  ])('refuses %s', (_case, text) => {
    expect(() => sut(text)).toThrow(InvalidDurationError);
  });

  it('says why years are refused, with a stable code', () => {
    const error = captureError(() => sut('P1Y'));
    expect(error).toMatchObject({ code: 'REFERENCE_DATA.INVALID_DURATION' });
    expect((error as Error).message).toContain('no fixed length');
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
