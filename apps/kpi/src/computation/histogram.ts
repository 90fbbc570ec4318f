/**
 * A mergeable fixed-bucket histogram for percentiles: bucket `i` holds the values in `(γ^(i-1), γ^i]` with
 * γ = 1.02, so any quantile read back is within 1% of a value in the data (relative), whatever the scale.
 * Buckets are the same for every KPI and every period, so two histograms merge by adding counts bucket by
 * bucket, and an event updates one counter: no rescans. Zero and negative values share bucket {@link ZERO}.
 */
export const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);
/** Values up to this one count as zero. */
const SMALLEST = 1e-9;
/**
 * The bucket of zero and negative values: the one just below the smallest positive value's (-1047), so that a
 * stored histogram, an array subscripted by bucket, stays short.
 */
export const ZERO = Math.ceil(Math.log(SMALLEST) / LOG_GAMMA - 1e-9) - 1;

/** The bucket a value falls in. */
export function bucketIndex(value: number): number {
  if (!(value > SMALLEST)) return ZERO;
  return Math.ceil(Math.log(value) / LOG_GAMMA - 1e-9);
}

/** The value that stands for a bucket: the middle of its range by relative error. */
export function bucketValue(index: number): number {
  if (index === ZERO) return 0;
  return (2 * GAMMA ** index) / (GAMMA + 1);
}

/**
 * The `p`-th percentile (0 < p < 100, nearest rank) of the values counted in `counts` (bucket → count).
 * @returns undefined for an empty histogram
 */
export function percentile(counts: ReadonlyMap<number, number>, p: number): number | undefined {
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const index of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(index) ?? 0;
    if (seen >= rank) return bucketValue(index);
  }
  return undefined;
}

/** Adds `other` into a copy of `counts`. */
export function merge(
  counts: ReadonlyMap<number, number>,
  other: ReadonlyMap<number, number>,
): Map<number, number> {
  const merged = new Map(counts);
  for (const [index, n] of other) merged.set(index, (merged.get(index) ?? 0) + n);
  return merged;
}
