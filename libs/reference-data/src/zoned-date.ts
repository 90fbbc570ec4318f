import { InternalError } from '@ioc/observability';

const OFFSET = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Epoch milliseconds of 00:00 on a calendar day (`YYYY-MM-DD`) in an IANA time zone. Effective dates
 * of units are days in the city's zone (docs/architecture.md, "Time"), so the 2025 reform starts at local midnight.
 */
export function startOfDayIn(date: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number);
  const wallClock = Date.UTC(year, month - 1, day);
  // The offset at the wall-clock reading is a first guess; reading it again at the corrected instant
  // settles zones whose offset changes that night (daylight saving).
  const guess = wallClock - offsetMs(wallClock, timeZone);
  return wallClock - offsetMs(guess, timeZone);
}

function offsetMs(instant: number, timeZone: string): number {
  const name = formatterFor(timeZone)
    .formatToParts(instant)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = name === undefined ? null : OFFSET.exec(name);
  if (!match) throw new InternalError(`Unexpected time zone offset ${String(name)} for ${timeZone}`);
  const [, sign, hours = '0', minutes = '0', seconds = '0'] = match;
  const ms = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000;
  return sign === '-' ? -ms : ms;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
