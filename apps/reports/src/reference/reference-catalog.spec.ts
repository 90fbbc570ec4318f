import { aReportsTestCity } from '../../../../test/factories/reports';
import { ReferenceCatalog, ReferenceSource, type ReferenceSnapshot } from './reference-catalog';

class CountingSource extends ReferenceSource {
  loads = 0;
  failNext = false;

  async load(): Promise<ReferenceSnapshot> {
    this.loads += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database unavailable');
    }
    return aReportsTestCity();
  }
}

describe(ReferenceCatalog.name, () => {
  let source: CountingSource;
  let now: number;
  let sut: ReferenceCatalog;

  beforeEach(() => {
    source = new CountingSource();
    now = 0;
    sut = new ReferenceCatalog(source, 60_000, () => now);
  });

  it('places a point in its units, deepest first, with the most specific rule', async () => {
    const placement = await sut.place({ lat: 5, lon: 2 }, 'potholes', new Date('2026-01-01T00:00:00Z'));
    expect(placement.units.map((unit) => unit.code)).toEqual(['C.W1', 'C']);
    expect(placement.rule?.agencyId).toBe('AG-W1');
  });

  it('finds no rule for a category without one, and no unit outside the city', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect((await sut.place({ lat: 5, lon: 2 }, 'noise', at)).rule).toBeUndefined();
    expect(await sut.place({ lat: 50, lon: 50 }, 'potholes', at)).toEqual({ units: [], rule: undefined });
  });

  it('uses units only while they are in effect', async () => {
    const before = await sut.place({ lat: 5, lon: 2 }, 'potholes', new Date('2025-01-01T00:00:00Z'));
    expect(before.units).toEqual([]);
  });

  it('converts the SLA durations to milliseconds', async () => {
    expect(await sut.category('potholes')).toMatchObject({
      ackWithinMs: 3_600_000,
      resolveWithinMs: 86_400_000,
    });
    expect(await sut.category('ufo')).toBeUndefined();
  });

  it('reads the source once per TTL and retries after a failed read', async () => {
    await sut.categories();
    await sut.agency('AG-ROADS');
    expect(source.loads).toBe(1);
    now = 60_001;
    source.failNext = true;
    await expect(sut.categories()).rejects.toThrow('database unavailable');
    expect(await sut.agency('AG-ROADS')).toMatchObject({ id: 'AG-ROADS' });
    expect(source.loads).toBe(3);
  });
});
