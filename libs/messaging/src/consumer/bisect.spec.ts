import fc from 'fast-check';
import { bisect } from './bisect';

/** Runs bisect over `items` where the items in `failing` fail whenever attempted; records every attempt. */
async function run(items: number[], failing: (item: number, attempt: number) => boolean) {
  const attempts: number[][] = [];
  const passed: number[][] = [];
  const isolated: [number, string][] = [];
  await bisect(
    items,
    async (segment) => {
      attempts.push([...segment]);
      const bad = segment.find((item) => failing(item, attempts.length));
      if (bad === undefined) {
        passed.push([...segment]);
        return undefined;
      }
      return `failed at ${bad}`;
    },
    async (item, failure) => {
      isolated.push([item, failure]);
    },
  );
  return { attempts, passed, isolated };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe(bisect.name, () => {
  it('finds the one failing item by halves and gets the others through once, in order', async () => {
    const { attempts, passed, isolated } = await run(range(7), (item) => item === 4);

    expect(attempts).toEqual([[0, 1, 2, 3], [4, 5, 6], [4, 5], [4], [5], [6]]);
    expect(passed).toEqual([[0, 1, 2, 3], [5], [6]]);
    expect(isolated).toEqual([[4, 'failed at 4']]);
  });

  it("tries a single item (whose first failure was its chunk's) on its own once more", async () => {
    const recurring = await run([9], () => true);
    expect(recurring.attempts).toEqual([[9]]);
    expect(recurring.isolated).toEqual([[9, 'failed at 9']]);

    const passing = await run([9], () => false);
    expect(passing.passed).toEqual([[9]]);
    expect(passing.isolated).toEqual([]);
  });

  it('gives nothing up for a failure that does not recur once split', async () => {
    const { attempts, passed, isolated } = await run(
      range(4),
      (item, attempt) => item === 1 && attempt === 1,
    );

    expect(attempts).toEqual([[0, 1], [0], [1], [2, 3]]);
    expect(passed.flat()).toEqual([0, 1, 2, 3]);
    expect(isolated).toEqual([]);
  });

  it('isolates every failing item, each with its own failure', async () => {
    const { passed, isolated } = await run(range(10), (item) => item === 0 || item === 5 || item === 9);

    expect(isolated.map(([item]) => item)).toEqual([0, 5, 9]);
    expect(passed.flat()).toEqual([1, 2, 3, 4, 6, 7, 8]);
  });

  it('passes a thrown error (a transient fault) on and attempts nothing more', async () => {
    const attempts: number[][] = [];
    const fault = new Error('ECONNREFUSED');

    await expect(
      bisect(
        range(4),
        async (segment) => {
          attempts.push([...segment]);
          if (segment.includes(3)) throw fault;
          return segment.includes(0) ? 'poison' : undefined;
        },
        async () => undefined,
      ),
    ).rejects.toBe(fault);
    expect(attempts).toEqual([[0, 1], [0], [1], [2, 3]]);
  });

  it('for any failing set: isolates exactly it, gets every other item through exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 64 }).chain((n) => fc.tuple(fc.constant(n), fc.subarray(range(n)))),
        async ([n, bad]) => {
          const failing = new Set(bad);
          const { attempts, passed, isolated } = await run(range(n), (item) => failing.has(item));

          expect(isolated.map(([item]) => item)).toEqual(bad);
          expect(passed.flat()).toEqual(range(n).filter((item) => !failing.has(item)));
          // Each item is attempted at most once per level of halving, plus once alone.
          expect(attempts.length).toBeLessThanOrEqual(2 * n);
        },
      ),
    );
  });
});
