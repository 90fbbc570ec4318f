import fc from 'fast-check';
import { composite, judge, normalise, project } from './projection';

describe(project.name, () => {
  // The 10th of a 31-day month at 00:00: 9 days elapsed.
  const tenth = 9 / 31;

  it('projects a rising month (55% so far, 66.3% over the last days) to about 63%: on track for 60%', () => {
    const projection = project({
      mode: 'level',
      value: 55,
      recent: 66.3,
      sampleCount: 100,
      elapsedShare: tenth,
    });
    expect(projection.basis).toBe('trend');
    expect(projection.value).toBeCloseTo(55 * tenth + 66.3 * (1 - tenth), 6);
    expect(projection.value).toBeCloseTo(63, 0);
    expect(judge('at-least', projection.value, { value: 60 })).toBe('on-track');
  });

  it('projects a falling month (62% so far) under a 60% target: at risk at 54% lately, off track at 45%', () => {
    const slipping = project({ mode: 'level', value: 62, recent: 54, sampleCount: 100, elapsedShare: tenth });
    expect(slipping.value).toBeCloseTo(62 * tenth + 54 * (1 - tenth), 6); // ≈ 56.3
    expect(judge('at-least', slipping.value, { value: 60, atRisk: 55 })).toBe('at-risk');
    const falling = project({ mode: 'level', value: 62, recent: 45, sampleCount: 100, elapsedShare: tenth });
    expect(falling.value).toBeCloseTo(49.9, 1);
    expect(judge('at-least', falling.value, { value: 60, atRisk: 55 })).toBe('off-track');
    expect(judge('at-least', falling.value, { value: 60 })).toBe('off-track'); // default band: 54–60
  });

  it('scales a count to the whole period, keeps the value so far early on, and is final once ended', () => {
    expect(project({ mode: 'additive', value: 100, sampleCount: 100, elapsedShare: 0.25 })).toEqual({
      value: 400,
      basis: 'trend',
      elapsedShare: 0.25,
    });
    expect(project({ mode: 'additive', value: 3, sampleCount: 3, elapsedShare: 0.5 }).basis).toBe('so-far');
    expect(project({ mode: 'level', value: 50, recent: 90, sampleCount: 50, elapsedShare: 0.01 }).basis).toBe(
      'so-far',
    );
    expect(project({ mode: 'level', value: 50, recent: 90, sampleCount: 50, elapsedShare: 1 })).toEqual({
      value: 50,
      basis: 'final',
      elapsedShare: 1,
    });
  });

  it('keeps a level projection between the value so far and the recent level', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (value, recent, elapsedShare) => {
          const { value: projected } = project({
            mode: 'level',
            value,
            recent,
            sampleCount: 10,
            elapsedShare,
          });
          expect(projected).toBeGreaterThanOrEqual(Math.min(value, recent) - 1e-9);
          expect(projected).toBeLessThanOrEqual(Math.max(value, recent) + 1e-9);
        },
      ),
    );
  });
});

describe(judge.name, () => {
  it('judges an at-most KPI (a rank) the other way round', () => {
    expect(judge('at-most', 4, { value: 5, atRisk: 8 })).toBe('on-track');
    expect(judge('at-most', 7, { value: 5, atRisk: 8 })).toBe('at-risk');
    expect(judge('at-most', 12, { value: 5, atRisk: 8 })).toBe('off-track');
  });
});

describe(composite.name, () => {
  it('averages normalised inputs by weight and leaves out those without a score', () => {
    const scores = [
      normalise('at-least', 48, 60),
      normalise('at-least', 50, 50),
      normalise('at-least', 99, 98),
    ];
    expect(scores).toEqual([80, 100, 100]);
    expect(
      composite([...scores.map((score) => ({ weight: 1, score })), { weight: 1, score: undefined }]),
    ).toBeCloseTo(93.333, 3);
    expect(
      composite([
        { weight: 2, score: 50 },
        { weight: 1, score: 80 },
      ]),
    ).toBe(60);
    expect(composite([{ weight: 1, score: undefined }])).toBeUndefined();
  });

  it('scores an at-most input 100 at or under its target and the target share of it above', () => {
    expect(normalise('at-most', 40, 48)).toBe(100);
    expect(normalise('at-most', 96, 48)).toBe(50);
  });

  it('stays within 0–100', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            weight: fc.double({ min: 0.01, max: 100, noNaN: true }),
            score: fc.double({ min: 0, max: 100, noNaN: true }),
          }),
          { minLength: 1 },
        ),
        (inputs) => {
          const value = composite(inputs) ?? -1;
          expect(value).toBeGreaterThanOrEqual(-1e-9);
          expect(value).toBeLessThanOrEqual(100 + 1e-9);
        },
      ),
    );
  });
});
