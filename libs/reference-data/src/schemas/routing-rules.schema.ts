import { z } from 'zod';
import { ANY_CATEGORY } from '../city-data';
import { identifier, isKebabCode } from './common.schema';

/** `routing-rules.json`. */
export const routingRulesSchema = z.array(
  z.strictObject({
    id: identifier,
    categoryCode: z
      .string()
      .refine(
        (code) => code === ANY_CATEGORY || isKebabCode(code),
        `must be a category code or "${ANY_CATEGORY}"`,
      ),
    adminUnitCode: identifier.nullable(),
    agencyId: identifier,
  }),
);
