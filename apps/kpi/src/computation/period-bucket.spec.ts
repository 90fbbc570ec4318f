import fc from 'fast-check';
import { KPI_PERIODS } from '@ioc/contracts';
import { bucketOf, overlaps } from './period-bucket';

const HCM = 'Asia/Ho_Chi_Minh';

describe(bucketOf.name, () => {
  it('puts 23:30 UTC on 31 January in the local day and month of 1 February (UTC+7)', () => {
    const instant = new Date('2026-01-31T23:30:00Z');
    expect(bucketOf(instant, 'day', HCM)).toEqual({
      period: 'day',
      start: new Date('2026-01-31T17:00:00Z'),
      end: new Date('2026-02-01T17:00:00Z'),
    });
    expect(bucketOf(instant, 'month', HCM).start).toEqual(new Date('2026-01-31T17:00:00Z'));
    expect(bucketOf(instant, 'month', HCM).end).toEqual(new Date('2026-02-28T17:00:00Z'));
    expect(bucketOf(instant, 'quarter', HCM).start).toEqual(new Date('2025-12-31T17:00:00Z'));
    expect(bucketOf(instant, 'year', HCM).end).toEqual(new Date('2026-12-31T17:00:00Z'));
  });

  it('keeps local hours in a zone with a half-hour offset', () => {
    expect(bucketOf(new Date('2026-03-01T10:45:00Z'), 'hour', 'Asia/Kolkata').start).toEqual(
      new Date('2026-03-01T10:30:00Z'),
    );
  });

  it('has 23- and 25-hour days where daylight saving changes', () => {
    const spring = bucketOf(new Date('2026-03-29T12:00:00Z'), 'day', 'Europe/Paris');
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
    const autumn = bucketOf(new Date('2026-10-25T12:00:00Z'), 'day', 'Europe/Paris');
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
  });

  it('always holds the instant, and the next bucket starts where it ends', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }),
        fc.constantFrom(...KPI_PERIODS),
        fc.constantFrom(HCM, 'UTC', 'America/New_York', 'Asia/Kolkata'),
        (instant, period, zone) => {
          const bucket = bucketOf(instant, period, zone);
          expect(bucket.start.getTime()).toBeLessThanOrEqual(instant.getTime());
          expect(bucket.end.getTime()).toBeGreaterThan(instant.getTime());
          expect(bucketOf(bucket.end, period, zone).start).toEqual(bucket.end);
        },
      ),
    );
  });
});

describe(overlaps.name, () => {
  it('splits an interval across day boundaries, adding up to its length', () => {
    const parts = overlaps(new Date('2026-01-01T12:00:00Z'), new Date('2026-01-03T02:00:00Z'), 'day', HCM);
    expect(parts.map((p) => p.ms / 3_600_000)).toEqual([5, 24, 9]);
  });
});
