/**
 * Finds, in a segment that failed as a whole, the items that fail on their own, and gets every other item
 * through in as few attempts as it can: the segment is split in halves (a single item is tried on its own
 * once more), each half is attempted in order, a failing half is split again. Every healthy item ends up
 * in exactly one successful attempt, in the original order; each item that failed on its own is handed to
 * `isolated` with its failure, at its place in that order. An error thrown by `attempt` (a transient
 * fault, which no split can cure) ends the search and is passed on.
 *
 * With one failing item among n, that is about 2·log2(n) attempts.
 */
export async function bisect<T, F>(
  segment: readonly T[],
  attempt: (segment: readonly T[]) => Promise<F | undefined>,
  isolated: (item: T, failure: F) => Promise<void>,
): Promise<void> {
  const middle = Math.ceil(segment.length / 2);
  const halves = segment.length === 1 ? [segment] : [segment.slice(0, middle), segment.slice(middle)];
  for (const half of halves) {
    if (half.length === 0) continue;
    const failure = await attempt(half);
    if (failure === undefined) continue;
    if (half.length > 1) await bisect(half, attempt, isolated);
    else await isolated(half[0], failure);
  }
}
