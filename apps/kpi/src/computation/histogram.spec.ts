import fc from 'fast-check';
import { bucketIndex, bucketValue, merge, percentile, ZERO } from './histogram';

const histogramOf = (values: readonly number[]) => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(bucketIndex(v), (counts.get(bucketIndex(v)) ?? 0) + 1);
  return counts;
};

describe('histogram', () => {
  it('reads the median of 1…9 as 5 and the 90th percentile as 9, within 1%', () => {
    const counts = histogramOf([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.abs((percentile(counts, 50) ?? 0) - 5) / 5).toBeLessThan(0.01);
    expect(Math.abs((percentile(counts, 90) ?? 0) - 9) / 9).toBeLessThan(0.01);
  });

  it('has nothing to say about an empty histogram, and puts zero in its own bucket', () => {
    expect(percentile(new Map(), 50)).toBeUndefined();
    expect(bucketValue(bucketIndex(0))).toBe(0);
  });

  it('keeps zero in the bucket just below the smallest positive value, where the stored arrays expect it', () => {
    expect(ZERO).toBe(-1047);
    expect(bucketIndex(-5)).toBe(ZERO);
    expect(bucketIndex(1e-9)).toBe(ZERO);
    expect(bucketIndex(1.0001e-9)).toBe(ZERO + 1);
  });

  it('reads any percentile within 1% of the exact nearest-rank value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 99 }),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const exact = sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
          const read = percentile(histogramOf(values), p) ?? 0;
          expect(Math.abs(read - exact) / exact).toBeLessThan(0.0101);
        },
      ),
    );
  });

  it('merges two histograms into the histogram of both', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true })),
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true })),
        (a, b) => {
          expect(merge(histogramOf(a), histogramOf(b))).toEqual(histogramOf([...a, ...b]));
        },
      ),
    );
  });
});
