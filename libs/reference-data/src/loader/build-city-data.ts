import type { z } from 'zod';
import type {
  AdminUnit,
  CityData,
  LineStringGeometry,
  MultiPolygonGeometry,
  PolygonGeometry,
} from '../city-data';
import { bboxOf } from '../geometry/geometry';
import type { adminUnitsSchema } from '../schemas/admin-units.schema';
import type { agenciesSchema } from '../schemas/agencies.schema';
import type { camerasSchema } from '../schemas/cameras.schema';
import type { categoriesSchema } from '../schemas/categories.schema';
import type { citySchema } from '../schemas/city.schema';
import type { kpisSchema } from '../schemas/kpis.schema';
import type { roadSegmentsSchema } from '../schemas/road-segments.schema';
import type { routingRulesSchema } from '../schemas/routing-rules.schema';
import { startOfDayIn } from '../zoned-date';

/** The files of a data folder once each has passed its schema. */
export interface ParsedFiles {
  readonly city: z.infer<typeof citySchema>;
  readonly adminUnits: z.infer<typeof adminUnitsSchema>;
  readonly agencies: z.infer<typeof agenciesSchema>;
  readonly categories: z.infer<typeof categoriesSchema>;
  readonly routingRules: z.infer<typeof routingRulesSchema>;
  readonly cameras: z.infer<typeof camerasSchema>;
  readonly roadSegments: z.infer<typeof roadSegmentsSchema>;
  readonly kpis: z.infer<typeof kpisSchema>;
}

type ParsedArea = ParsedFiles['adminUnits']['features'][number]['geometry'];

/**
 * Shapes parsed files into {@link CityData}, item for item in file order (so a problem found later can
 * name its index): effective dates become instants in the city's zone, geometries get their bbox.
 */
export function buildCityData(files: ParsedFiles): CityData {
  const { timezone } = files.city;
  return {
    city: files.city,
    adminUnits: files.adminUnits.features.map(({ properties, geometry }): AdminUnit => ({
      ...properties,
      effectiveFrom: startOfDayIn(properties.validFrom, timezone),
      effectiveTo: properties.validTo === null ? null : startOfDayIn(properties.validTo, timezone),
      geometry: withBBox(geometry),
    })),
    agencies: files.agencies.map(({ adminUnitCode, contact, ...agency }) => ({
      ...agency,
      adminUnitCode: adminUnitCode ?? null,
      contact: contact ?? null,
    })),
    categories: files.categories,
    routingRules: files.routingRules,
    cameras: files.cameras,
    roadSegments: files.roadSegments.features.map(({ properties, geometry }) => ({
      ...properties,
      geometry: { ...geometry, bbox: bboxOf(geometry.coordinates) } satisfies LineStringGeometry,
    })),
    kpis: files.kpis.map((kpi) => ({ ...kpi, targets: kpi.targets.toSorted((a, b) => a.year - b.year) })),
  };
}

function withBBox(geometry: ParsedArea): PolygonGeometry | MultiPolygonGeometry {
  return geometry.type === 'Polygon'
    ? { ...geometry, bbox: bboxOf(geometry.coordinates.flat()) }
    : { ...geometry, bbox: bboxOf(geometry.coordinates.flat(2)) };
}
