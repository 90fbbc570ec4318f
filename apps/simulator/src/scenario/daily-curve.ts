export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * A shape over the 24 hours of a day: one relative level per hour, read at the hour's middle and interpolated
 * linearly between hours (wrapping at midnight), so a rate changes smoothly instead of in hourly steps.
 */
export class DailyCurve {
  private readonly levels: readonly number[];
  /** The mean of the curve over a day: a rate of `perDay / DAY_MS × at(t) / mean` averages `perDay` a day. */
  readonly mean: number;
  readonly max: number;

  constructor(hourly: readonly number[]) {
    if (hourly.length !== 24 || hourly.some((level) => !(level >= 0)) || !hourly.some((level) => level > 0))
      throw new Error('a daily curve needs 24 hourly levels, at least 0 and not all 0');
    this.levels = [...hourly];
    this.mean = hourly.reduce((sum, level) => sum + level, 0) / 24;
    this.max = Math.max(...hourly);
  }

  /** The level at scenario time `t` (ms since midnight of day 0). */
  at(t: number): number {
    const hour = hourOfDay(t) - 0.5;
    const from = Math.floor(hour);
    const share = hour - from;
    const level = (h: number) => this.levels[((h % 24) + 24) % 24];
    return level(from) * (1 - share) + level(from + 1) * share;
  }

  /** The level at `t` relative to the day's mean: 1 on average. */
  relative(t: number): number {
    return this.at(t) / this.mean;
  }
}

/** The hour of day (fractional, 0 ≤ h < 24) at scenario time `t`. */
export function hourOfDay(t: number): number {
  return (((t % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
}

/** The scenario day (0, 1, …) that `t` falls in. */
export function dayOf(t: number): number {
  return Math.floor(t / DAY_MS);
}

/**
 * When citizens report: hardly at night, a morning peak around 9:00 and an evening one around 19:00
 * (what report channels of Vietnamese cities show: people report on the way to work and after dinner).
 */
export const CITIZEN_REPORTS_CURVE = new DailyCurve([
  0.15, 0.08, 0.05, 0.05, 0.08, 0.25, 0.6, 1.1, 1.6, 1.8, 1.6, 1.3, 0.9, 0.9, 1.1, 1.2, 1.3, 1.4, 1.5, 1.7,
  1.6, 1.2, 0.7, 0.35,
]);

/**
 * How loaded the roads are, 0 (empty) to 1 (rush hour): peaks 7:00–8:30 and 17:00–18:30, a smaller one at noon.
 * Speeds fall and volumes rise with it.
 */
export const TRAFFIC_LOAD_CURVE = new DailyCurve([
  0.05, 0.03, 0.02, 0.02, 0.05, 0.2, 0.55, 0.95, 0.9, 0.6, 0.5, 0.55, 0.6, 0.5, 0.5, 0.55, 0.7, 0.95, 0.9,
  0.6, 0.45, 0.35, 0.2, 0.1,
]);
