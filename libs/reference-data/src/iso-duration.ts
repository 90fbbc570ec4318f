import { InvalidDurationError } from './reference-data.errors';

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
// ISO 8601-1 §5.5.2.4 duration format: PnYnMnWnDTnHnMnS; "P" alone and a bare "T" are not durations.
const DURATION = new RegExp(
  `^P(?!$)(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?=\\d)(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
);
const MAX_LENGTH = 64;
const HOUR_MS = 3_600_000;
// Weeks, days, hours, minutes, seconds; a day is 24 hours because SLA clocks count elapsed time.
const COMPONENT_MS = [7 * 24 * HOUR_MS, 24 * HOUR_MS, HOUR_MS, 60_000, 1_000] as const;

/**
 * Parses an ISO 8601 duration such as `PT4H`, `P3D`, `P1DT12H` or `PT1.5H` into milliseconds.
 * Years and months are refused: they have no fixed length. As ISO 8601 allows, only the last
 * component may have a decimal fraction (`.` or `,`). Postgres `interval` accepts the same text.
 * @throws InvalidDurationError
 */
export function parseIsoDuration(text: string): number {
  if (text.length > MAX_LENGTH) throw new InvalidDurationError(text, `longer than ${MAX_LENGTH} characters`);
  const match = DURATION.exec(text);
  if (!match) throw new InvalidDurationError(text, 'expected the form PnWnDTnHnMnS, e.g. PT4H or P3D');
  const [, years, months, ...fixed] = match;
  if (years !== undefined || months !== undefined)
    throw new InvalidDurationError(text, 'years and months have no fixed length; use weeks or days');
  const present = fixed.flatMap((value, index) => (value === undefined ? [] : [{ value, index }]));
  if (present.slice(0, -1).some(({ value }) => /[.,]/.test(value)))
    throw new InvalidDurationError(text, 'only the last component may have a fraction');
  const ms = present.reduce(
    (total, { value, index }) => total + Number(value.replace(',', '.')) * COMPONENT_MS[index],
    0,
  );
  if (!Number.isSafeInteger(Math.round(ms))) throw new InvalidDurationError(text, 'too long');
  return Math.round(ms);
}
