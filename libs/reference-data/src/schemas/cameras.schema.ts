import { z } from 'zod';
import { CAMERA_KINDS } from '../city-data';
import { geoPoint, identifier, localizedName } from './common.schema';

/** `cameras.json`. */
export const camerasSchema = z.array(
  z.strictObject({
    id: identifier,
    names: localizedName,
    kind: z.enum(CAMERA_KINDS),
    location: geoPoint,
    adminUnitCode: identifier,
    ownerAgencyId: identifier,
  }),
);
