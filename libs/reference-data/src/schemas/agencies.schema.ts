import { z } from 'zod';
import { AGENCY_KINDS } from '../city-data';
import { address, identifier, localizedName } from './common.schema';

// Public office contact only: a person's name or private number has no field here (docs/architecture.md, "Privacy").
const contact = z
  .strictObject({
    phone: z.string().regex(/^\+?[0-9][0-9 ().-]{2,24}$/, 'must be a phone number such as +84 225 3xxx xxx'),
    email: z.email('must be an e-mail address'),
    website: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    address,
  })
  .partial();

/** `agencies.json`. */
export const agenciesSchema = z.array(
  z.strictObject({
    id: identifier,
    names: localizedName,
    kind: z.enum(AGENCY_KINDS),
    adminUnitCode: identifier.nullable().optional(),
    contact: contact.optional(),
  }),
);
