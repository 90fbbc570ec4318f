import { isTimeZone } from '@ioc/observability';
import { z } from 'zod';
import { geoPoint, kebabCode, latitude, localizedName, longitude } from './common.schema';

function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** `city.json`. */
export const citySchema = z.strictObject({
  code: kebabCode,
  names: localizedName,
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Ho_Chi_Minh'),
  centre: geoPoint,
  bbox: z
    .tuple([longitude, latitude, longitude, latitude])
    .refine(([minLon, minLat, maxLon, maxLat]) => minLon < maxLon && minLat < maxLat, {
      error: 'must be [minLon, minLat, maxLon, maxLat] with min < max',
    }),
  defaultLocale: z.string().refine(isLocale, 'must be a BCP 47 language tag such as vi'),
});
