import type { KpiPeriod } from '@ioc/contracts';
import { startOfDayIn } from '@ioc/reference-data';

/** A calendar period bucket: `[start, end)`, both UTC instants of local boundaries. */
export interface PeriodBucket {
  readonly period: KpiPeriod;
  readonly start: Date;
  readonly end: Date;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(epochMs: number, timeZone: string): LocalParts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(epochMs))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return parts as unknown as LocalParts;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms of local midnight starting `year-month-day` (month 1–12, day 1–31; rolls over past the end). */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const normal = new Date(Date.UTC(year, month - 1, day));
  return startOfDayIn(
    `${normal.getUTCFullYear()}-${pad(normal.getUTCMonth() + 1)}-${pad(normal.getUTCDate())}`,
    timeZone,
  );
}

/**
 * The bucket of `period` holding `instant`, with day and longer periods starting at local midnight in
 * `timeZone` (docs/architecture.md, "Time"): an event at 23:30 UTC on 31 January is on 1 February in Hà Nội's
 * zone, so in February's bucket. Hours are local hours (whole in most zones, not in all).
 */
export function bucketOf(instant: Date, period: KpiPeriod, timeZone: string): PeriodBucket {
  const t = instant.getTime();
  const slot = Math.floor(t / SLOT_MS);
  const cache = cacheOf(timeZone, period);
  const known = cache.slots.get(slot);
  if (known) return known;
  let bucket = cache.recent.find((b) => b.start.getTime() <= t && t < b.end.getTime());
  if (!bucket) {
    bucket = computeBucket(t, period, timeZone);
    cache.recent.unshift(bucket);
    if (cache.recent.length > RECENT) cache.recent.pop();
  }
  // Every instant of a slot lies in the same bucket when the bucket's bounds fall on slot bounds, as they do
  // in every zone in use (offsets are whole quarter hours); a bucket that does not is never remembered.
  if (bucket.start.getTime() % SLOT_MS === 0 && bucket.end.getTime() % SLOT_MS === 0) {
    if (cache.slots.size >= MAX_SLOTS) cache.slots.clear();
    cache.slots.set(slot, bucket);
  }
  return bucket;
}

/**
 * Bucket lookups are remembered by zone and period: per quarter hour (the fold asks for the same few buckets
 * over and over), and the last buckets computed, in which a quarter hour not seen yet mostly lies (a month's
 * bucket holds almost 3,000 of them), which saves reading the zone's calendar again.
 */
const SLOT_MS = 15 * 60_000;
const MAX_SLOTS = 100_000;
const RECENT = 8;
const caches = new Map<
  string,
  Map<KpiPeriod, { slots: Map<number, PeriodBucket>; recent: PeriodBucket[] }>
>();

function cacheOf(timeZone: string, period: KpiPeriod) {
  let inZone = caches.get(timeZone);
  if (!inZone) caches.set(timeZone, (inZone = new Map()));
  let cache = inZone.get(period);
  if (!cache) inZone.set(period, (cache = { slots: new Map(), recent: [] }));
  return cache;
}

function computeBucket(t: number, period: KpiPeriod, timeZone: string): PeriodBucket {
  const local = localParts(t, timeZone);
  let start: number;
  let end: number;
  switch (period) {
    case 'hour': {
      start = t - ((local.minute * 60 + local.second) * 1000 + (((t % 1000) + 1000) % 1000));
      end = start + 3_600_000;
      break;
    }
    case 'day':
      start = localMidnight(local.year, local.month, local.day, timeZone);
      end = localMidnight(local.year, local.month, local.day + 1, timeZone);
      break;
    case 'month':
      start = localMidnight(local.year, local.month, 1, timeZone);
      end = localMidnight(local.year, local.month + 1, 1, timeZone);
      break;
    case 'quarter': {
      const first = local.month - ((local.month - 1) % 3);
      start = localMidnight(local.year, first, 1, timeZone);
      end = localMidnight(local.year, first + 3, 1, timeZone);
      break;
    }
    case 'year':
      start = localMidnight(local.year, 1, 1, timeZone);
      end = localMidnight(local.year + 1, 1, 1, timeZone);
      break;
  }
  return { period, start: new Date(start), end: new Date(end) };
}

/** The local calendar year a bucket starts in: targets are set per year. */
export function localYearOf(bucket: PeriodBucket, timeZone: string): number {
  return localParts(bucket.start.getTime(), timeZone).year;
}

/** The buckets of `period` that `[from, to)` overlaps, each with the milliseconds it overlaps. */
export function overlaps(
  from: Date,
  to: Date,
  period: KpiPeriod,
  timeZone: string,
): { bucket: PeriodBucket; ms: number }[] {
  const result: { bucket: PeriodBucket; ms: number }[] = [];
  let cursor = from.getTime();
  const stop = to.getTime();
  while (cursor < stop) {
    const bucket = bucketOf(new Date(cursor), period, timeZone);
    const next = Math.min(bucket.end.getTime(), stop);
    result.push({ bucket, ms: next - cursor });
    cursor = next;
  }
  return result;
}
