import type { CityData } from '@ioc/reference-data';
import type { WallCity } from './wall.types';

/**
 * What the wall draws, from the city's reference data: the units in force today (the current hierarchy, without
 * the province, whose outline would cover them), road segments, cameras and the names the page shows. Public data
 * only: no agency contacts, nothing about reporters.
 */
export function wallCityOf(data: CityData, now: Date): WallCity {
  const at = now.getTime();
  const current = data.adminUnits.filter(
    (unit) =>
      unit.level !== 'province' &&
      unit.effectiveFrom <= at &&
      (unit.effectiveTo === null || at < unit.effectiveTo),
  );
  return {
    city: {
      code: data.city.code,
      names: { ...data.city.names },
      centre: { ...data.city.centre },
      timezone: data.city.timezone,
    },
    units: {
      type: 'FeatureCollection',
      features: current.map((unit) => ({
        type: 'Feature',
        properties: { name: unit.code, names: { ...unit.names }, level: unit.level },
        geometry: { type: unit.geometry.type, coordinates: unit.geometry.coordinates },
      })),
    },
    segments: data.roadSegments.map((segment) => ({
      id: segment.id,
      names: { ...segment.names },
      coordinates: segment.geometry.coordinates.map(([lon, lat]) => [lon, lat] as [number, number]),
      adminUnitCode: segment.adminUnitCode,
    })),
    cameras: data.cameras.map((camera) => ({
      id: camera.id,
      names: { ...camera.names },
      location: { ...camera.location },
      adminUnitCode: camera.adminUnitCode,
      ownerAgencyId: camera.ownerAgencyId,
    })),
    agencies: data.agencies.map((agency) => ({ id: agency.id, names: { ...agency.names } })),
    categories: data.categories.map((category) => ({ code: category.code, names: { ...category.names } })),
    kpis: data.kpis.map((kpi) => ({
      code: kpi.code,
      names: { ...kpi.names },
      unit: kpi.unit,
      direction: kpi.direction,
    })),
  };
}
