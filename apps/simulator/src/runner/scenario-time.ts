import { DAY_MS, dayOf, HOUR_MS } from '../scenario/daily-curve';

/** `HH:MM` (the city's local time of day) as scenario milliseconds since midnight of day 0. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * HOUR_MS + Number(match[2]) * 60_000 : undefined;
}

/** `day 0 08:05` for a scenario time. */
export function formatScenarioTime(t: number): string {
  const inDay = t - dayOf(t) * DAY_MS;
  const hours = Math.floor(inDay / HOUR_MS);
  const minutes = Math.floor((inDay % HOUR_MS) / 60_000);
  return `day ${dayOf(t)} ${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}
