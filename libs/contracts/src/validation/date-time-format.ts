import type { FormatDefinition } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats';

const full = fullFormats['date-time'] as FormatDefinition<string> & { validate: (text: string) => boolean };

/**
 * ajv-formats' RFC 3339 `date-time` check (full mode), with a fast path for the one form every event time and
 * most data times take, `Date#toISOString`'s `YYYY-MM-DDTHH:MM:SS.sssZ`: read digit by digit, where the full
 * check splits the text and runs two regular expressions on every consumed event. The fast path only ever
 * answers "valid"; anything it is not sure of (another form, a leap second, an impossible date) goes to the full
 * check, so the answers are the same (date-time-format.spec.ts holds them equal on generated input).
 */
export const dateTimeFormat: FormatDefinition<string> = {
  ...full,
  validate: (text: string) => isCanonicalInstant(text) || full.validate(text),
};

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCanonicalInstant(text: string): boolean {
  if (
    text.length !== 24 ||
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== 'T' ||
    text[13] !== ':' ||
    text[16] !== ':' ||
    text[19] !== '.' ||
    text[23] !== 'Z'
  )
    return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (digits(text, 20, 3) < 0 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  if (second < 0 || second > 59 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month]);
}

/** The number written by `length` ASCII digits at `from`, or -1 when one of them is not a digit. */
function digits(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
