import { z } from 'zod';
import { ringClosureProblem, ringIntersections } from '../geometry/geometry';
import { parseIsoDuration } from '../iso-duration';
import { InvalidDurationError, type ReferenceDataProblemCode } from '../reference-data.errors';

/** Adds a custom issue that maps to a specific problem code instead of the generic `SCHEMA`. */
export function addProblem(
  ctx: z.RefinementCtx,
  problem: ReferenceDataProblemCode,
  message: string,
  path: PropertyKey[] = [],
): void {
  ctx.addIssue({ code: 'custom', message, path, params: { problem } });
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEBAB_CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Ids and unit codes: stable, URL- and log-safe. */
export const identifier = z
  .string()
  .regex(IDENTIFIER, 'must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');

/** Category and KPI codes: lower-case kebab-case, at most 64 characters. */
export const kebabCode = z
  .string()
  .max(64)
  .regex(KEBAB_CODE, 'must be lower-case kebab-case, e.g. street-lighting');

export function isKebabCode(text: string): boolean {
  return text.length <= 64 && KEBAB_CODE.test(text);
}

// Vietnamese diacritics typed on some systems arrive decomposed; NFC keeps names comparable.
const displayText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => text.trim() === text, 'must not start or end with white space')
    .refine((text) => text === text.normalize('NFC'), 'must be in Unicode NFC (composed diacritics)');

export const localizedName = z.strictObject({ vi: displayText(200), en: displayText(200) });

export const address = displayText(300);

export const latitude = z.number().min(-90, 'latitude must be ≥ -90').max(90, 'latitude must be ≤ 90');
export const longitude = z.number().min(-180, 'longitude must be ≥ -180').max(180, 'longitude must be ≤ 180');

export const geoPoint = z.strictObject({ lat: latitude, lon: longitude });

/** A calendar day; z.iso.date() also refuses impossible days such as 2025-02-30. */
export const calendarDay = z.iso.date('must be a date YYYY-MM-DD');

/** An ISO 8601 duration longer than zero, in the subset {@link parseIsoDuration} accepts. */
export const positiveDuration = z.string().superRefine((text, ctx) => {
  try {
    if (parseIsoDuration(text) <= 0) ctx.addIssue({ code: 'custom', message: 'must be longer than zero' });
  } catch (error) {
    if (!(error instanceof InvalidDurationError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

const position = z
  .tuple([longitude, latitude], z.number())
  .refine((p) => p.length <= 3, 'a position is [lon, lat] or [lon, lat, altitude]');

const linearRing = z.array(position).superRefine((ring, ctx) => {
  const problem = ringClosureProblem(ring);
  if (problem) addProblem(ctx, 'INVALID_GEOMETRY', problem);
});

const polygonRings = z
  .array(linearRing)
  .min(1, 'a polygon needs an exterior ring')
  .superRefine((rings, ctx) => {
    for (const problem of ringIntersections(rings)) addProblem(ctx, 'INVALID_GEOMETRY', problem);
  });

const polygon = z.object({ type: z.literal('Polygon'), coordinates: polygonRings });
const multiPolygon = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(polygonRings).min(1, 'a multipolygon needs at least one polygon'),
});

/** A Polygon or MultiPolygon whose rings are closed and simple; other GeoJSON members are dropped. */
export const areaGeometry = z.discriminatedUnion('type', [polygon, multiPolygon], {
  error: 'must be a GeoJSON Polygon or MultiPolygon',
});

/** A LineString with at least two positions. */
export const lineGeometry = z.object({
  type: z.literal('LineString', { error: 'must be a GeoJSON LineString' }),
  coordinates: z.array(position).min(2, 'a line needs at least 2 positions'),
});

/** A GeoJSON FeatureCollection whose features have the given properties and geometry. */
export function featureCollection<P extends z.ZodType, G extends z.ZodType>(properties: P, geometry: G) {
  const feature = z.object({ type: z.literal('Feature'), properties, geometry });
  return z.object({ type: z.literal('FeatureCollection'), features: z.array(feature) });
}
