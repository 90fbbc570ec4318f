import { z } from 'zod';
import { parseIsoDuration } from '../iso-duration';
import { kebabCode, localizedName, positiveDuration } from './common.schema';

// Only reached once both durations have passed positiveDuration; the guard keeps it total anyway.
function resolveNotBeforeAck(sla: { ackWithin: string; resolveWithin: string }): boolean {
  try {
    return parseIsoDuration(sla.resolveWithin) >= parseIsoDuration(sla.ackWithin);
  } catch {
    return true;
  }
}

/** `categories.json`. */
export const categoriesSchema = z.array(
  z.strictObject({
    code: kebabCode,
    names: localizedName,
    sla: z
      .strictObject({ ackWithin: positiveDuration, resolveWithin: positiveDuration })
      .refine(resolveNotBeforeAck, {
        error: 'must not be shorter than ackWithin',
        path: ['resolveWithin'],
      }),
    duplicate: z.strictObject({
      radiusMeters: z.number().positive().max(10_000),
      within: positiveDuration,
    }),
  }),
);
