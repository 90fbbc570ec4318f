import type { CityData } from '../city-data';

/** The files of a city's data folder, one per part of {@link CityData}; all are required. */
export const CITY_DATA_FILES = {
  city: 'city.json',
  adminUnits: 'admin-units.geojson',
  agencies: 'agencies.json',
  categories: 'categories.json',
  routingRules: 'routing-rules.json',
  cameras: 'cameras.json',
  roadSegments: 'road-segments.geojson',
  kpis: 'kpis.json',
} as const satisfies Record<keyof CityData, string>;
