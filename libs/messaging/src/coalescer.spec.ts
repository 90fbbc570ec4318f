import { Coalescer } from './coalescer';

/** A coalescer over numbers (weight = the number) whose runs wait until the test lets them through. */
function gatedCoalescer(options: { maxInFlight?: number; retryAlone?: (error: unknown) => boolean } = {}) {
  const runs: { items: number[]; pass(): void; fail(error: unknown): void }[] = [];
  const sut = new Coalescer<number, string>({
    run: (items) =>
      new Promise((resolve, reject) => {
        runs.push({ items: [...items], pass: () => resolve(items.map((n) => `done ${n}`)), fail: reject });
      }),
    weight: (n) => n,
    maxWeight: 10,
    ...options,
  });
  return { sut, runs };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(Coalescer.name, () => {
  it('runs an item at once when nothing runs, and merges what waits meanwhile, in order, up to the weight', async () => {
    const { sut, runs } = gatedCoalescer();
    const results = [1, 2, 3, 6, 4].map((n) => sut.submit(n));
    expect(runs.map((r) => r.items)).toEqual([[1]]);

    runs[0].pass();
    await tick();
    expect(runs.map((r) => r.items)).toEqual([[1], [2, 3]]); // 2 + 3 + 6 > 10
    runs[1].pass();
    await tick();
    runs[2].pass();
    await tick();
    expect(runs.map((r) => r.items)).toEqual([[1], [2, 3], [6, 4]]);
    await expect(Promise.all(results)).resolves.toEqual(['done 1', 'done 2', 'done 3', 'done 6', 'done 4']);
  });

  it('runs a heavier item than the limit alone', async () => {
    const { sut, runs } = gatedCoalescer();
    const first = sut.submit(1);
    const heavy = sut.submit(25);
    const light = sut.submit(2);
    runs[0].pass();
    await tick();
    expect(runs[1].items).toEqual([25]);
    runs[1].pass();
    await tick();
    expect(runs[2].items).toEqual([2]);
    runs[2].pass();
    await expect(Promise.all([first, heavy, light])).resolves.toHaveLength(3);
  });

  it('keeps up to maxInFlight runs under way', async () => {
    const { sut, runs } = gatedCoalescer({ maxInFlight: 2 });
    for (const n of [1, 2, 3, 4]) void sut.submit(n);
    expect(runs.map((r) => r.items)).toEqual([[1], [2]]);
    runs[1].pass();
    await tick();
    expect(runs.map((r) => r.items)).toEqual([[1], [2], [3, 4]]);
  });

  it('fails every item of a failed run by default', async () => {
    const { sut, runs } = gatedCoalescer();
    void sut.submit(1);
    const merged = [sut.submit(2), sut.submit(3)].map((p) => p.catch((e: Error) => e.message));
    runs[0].pass();
    await tick();
    runs[1].fail(new Error('refused'));
    await expect(Promise.all(merged)).resolves.toEqual(['refused', 'refused']);
  });

  it('runs each item of a failed merged run again alone, ahead of the others, when retryAlone says so', async () => {
    const { sut, runs } = gatedCoalescer({ retryAlone: (e) => (e as Error).message === 'one is bad' });
    void sut.submit(1);
    const good = sut.submit(2);
    const bad = sut.submit(3).catch((e: Error) => e.message);
    runs[0].pass();
    await tick();
    const later = sut.submit(4);
    runs[1].fail(new Error('one is bad'));
    await tick();
    expect(runs.map((r) => r.items).slice(2)).toEqual([[2]]);
    runs[2].pass();
    await tick();
    expect(runs[3].items).toEqual([3]); // alone, not merged with 4
    runs[3].fail(new Error('one is bad')); // a run of one item is never retried
    await tick();
    expect(runs[4].items).toEqual([4]);
    runs[4].pass();
    await expect(Promise.all([good, bad, later])).resolves.toEqual(['done 2', 'one is bad', 'done 4']);
  });
});
