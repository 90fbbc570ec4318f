import { z } from 'zod';
import { featureCollection, identifier, lineGeometry, localizedName } from './common.schema';

/** `road-segments.geojson`. */
export const roadSegmentsSchema = featureCollection(
  z.strictObject({
    id: identifier,
    names: localizedName,
    freeFlowKmh: z.number().positive().max(150, 'must be at most 150 km/h'),
    adminUnitCode: identifier,
  }),
  lineGeometry,
);
