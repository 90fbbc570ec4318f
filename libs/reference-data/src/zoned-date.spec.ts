import { startOfDayIn } from './zoned-date';

describe(startOfDayIn.name, () => {
  const sut = startOfDayIn;

  it.each([
    ['Asia/Ho_Chi_Minh', '2025-07-01', '2025-06-30T17:00:00.000Z'],
    ['UTC', '2025-07-01', '2025-07-01T00:00:00.000Z'],
    ['America/New_York', '2025-01-15', '2025-01-15T05:00:00.000Z'],
    ['America/New_York', '2025-07-15', '2025-07-15T04:00:00.000Z'],
    // Daylight saving ends at 01:00 UTC that day, after local midnight.
    ['Europe/London', '2025-10-26', '2025-10-25T23:00:00.000Z'],
    ['Asia/Kolkata', '2025-03-01', '2025-02-28T18:30:00.000Z'],
  ])('midnight in %s on %s is %s', (zone, date, expected) => {
    expect(new Date(sut(date, zone)).toISOString()).toBe(expected);
  });
});
