import {
  type AdminUnit,
  type Camera,
  type CityData,
  type GeoPoint,
  parseIsoDuration,
  type RoadSegment,
  routeReport,
  unitsAt,
} from '@ioc/reference-data';
import type { Prng } from './prng';

const METRES_PER_DEGREE_LAT = 111_320;

/** Metres between two points (equirectangular: exact enough within a city). */
export function distanceMetres(a: GeoPoint, b: GeoPoint): number {
  const x = (b.lon - a.lon) * Math.cos(((a.lat + b.lat) / 2) * (Math.PI / 180)) * METRES_PER_DEGREE_LAT;
  const y = (b.lat - a.lat) * METRES_PER_DEGREE_LAT;
  return Math.hypot(x, y);
}

/** A point `metres` from `origin` in the direction `bearing` (radians, 0 = north). */
export function offsetPoint(origin: GeoPoint, metres: number, bearing: number): GeoPoint {
  const lat = origin.lat + (metres * Math.cos(bearing)) / METRES_PER_DEGREE_LAT;
  const lon =
    origin.lon +
    (metres * Math.sin(bearing)) / (METRES_PER_DEGREE_LAT * Math.cos(origin.lat * (Math.PI / 180)));
  return { lat: round6(lat), lon: round6(lon) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** A point inside the city with the deepest unit it lies in. */
export interface Place {
  readonly location: GeoPoint;
  readonly unit: AdminUnit;
  /** What a citizen would write as the address: the street nearby, else the unit's name. */
  readonly addressText: string;
}

/** A report category with its SLA in milliseconds. */
export interface CategoryModel {
  readonly code: string;
  readonly nameVi: string;
  readonly ackWithinMs: number;
  readonly resolveWithinMs: number;
  readonly duplicateRadiusMetres: number;
}

/**
 * What a scenario needs of a city's reference data, derived once: the units in effect at `at` with nothing
 * deeper inside them (where people live and report), each camera's nearest road segment, the cameras of each
 * unit, and the routing rules, so the scenario knows which agency will act on a report exactly as the reports
 * service will route it. Pure: the same data and instant give the same model.
 */
export class CityModel {
  readonly leafUnits: readonly AdminUnit[];
  readonly cameras: readonly Camera[];
  readonly segments: readonly RoadSegment[];
  readonly categories: readonly CategoryModel[];
  private readonly nearestSegmentOf = new Map<string, RoadSegment>();

  constructor(
    readonly data: CityData,
    /** The instant whose administrative units apply (the reports service routes by the units in effect). */
    readonly at: Date,
  ) {
    const instant = at.getTime();
    const inEffect = data.adminUnits.filter(
      (unit) => unit.effectiveFrom <= instant && (unit.effectiveTo === null || instant < unit.effectiveTo),
    );
    const parents = new Set(inEffect.map((unit) => `${unit.hierarchy}:${unit.parentCode}`));
    const newest = Math.max(...inEffect.map((unit) => unit.effectiveFrom));
    const newestHierarchy = inEffect.find((unit) => unit.effectiveFrom === newest)?.hierarchy;
    this.leafUnits = inEffect
      .filter((unit) => !parents.has(`${unit.hierarchy}:${unit.code}`) && unit.parentCode !== null)
      .filter((unit) => unit.hierarchy === newestHierarchy)
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    if (this.leafUnits.length === 0)
      throw new Error('the city has no administrative unit in effect to report in');
    this.cameras = [...data.cameras].sort((a, b) => (a.id < b.id ? -1 : 1));
    this.segments = [...data.roadSegments].sort((a, b) => (a.id < b.id ? -1 : 1));
    this.categories = data.categories.map((category) => ({
      code: category.code,
      nameVi: category.names.vi,
      ackWithinMs: parseIsoDuration(category.sla.ackWithin),
      resolveWithinMs: parseIsoDuration(category.sla.resolveWithin),
      duplicateRadiusMetres: category.duplicate.radiusMeters,
    }));
    for (const camera of this.cameras) {
      const nearest = this.nearestSegment(camera.location);
      if (nearest) this.nearestSegmentOf.set(camera.id, nearest);
    }
  }

  category(code: string): CategoryModel | undefined {
    return this.categories.find((category) => category.code === code);
  }

  /** The road segment the camera watches: the one passing closest to it. */
  segmentOfCamera(cameraId: string): RoadSegment | undefined {
    return this.nearestSegmentOf.get(cameraId);
  }

  camerasIn(unitCodes: ReadonlySet<string>): Camera[] {
    return this.cameras.filter((camera) => unitCodes.has(camera.adminUnitCode));
  }

  /** Segments filed under one of `unitCodes`. */
  segmentsIn(unitCodes: ReadonlySet<string>): RoadSegment[] {
    return this.segments.filter((segment) => unitCodes.has(segment.adminUnitCode));
  }

  /** The deepest unit containing `point`, as the reports service places a report. */
  deepestUnit(point: GeoPoint): AdminUnit | undefined {
    return unitsAt(this.data.adminUnits, point, this.at)[0];
  }

  /** The agency the routing rules give a report of `categoryCode` at `point`, or none (triage). */
  agencyFor(categoryCode: string, point: GeoPoint): string | undefined {
    const units = unitsAt(this.data.adminUnits, point, this.at);
    if (units.length === 0) return undefined;
    return routeReport(
      this.data.routingRules,
      categoryCode,
      units.map((unit) => unit.code),
    )?.agencyId;
  }

  /**
   * A place where a citizen notices a problem: mostly along a road (a point on a segment, pushed a few dozen
   * metres aside), else anywhere in a unit (`within`, when given, the units allowed).
   */
  randomPlace(prng: Prng, within?: readonly AdminUnit[]): Place {
    const units = within && within.length > 0 ? within : this.leafUnits;
    const codes = new Set(units.map((unit) => unit.code));
    const roads = this.segments.filter((segment) => codes.has(segment.adminUnitCode));
    for (let attempt = 0; attempt < 50; attempt++) {
      const onRoad = roads.length > 0 && prng.chance(0.65);
      const candidate = onRoad
        ? this.pointOnRoad(prng, prng.pick(roads))
        : this.pointInUnit(prng, prng.pick(units));
      const unit = this.deepestUnit(candidate);
      if (unit && codes.has(unit.code))
        return { location: candidate, unit, addressText: this.addressOf(candidate, unit) };
    }
    // Outlines too thin to hit: the centre of a unit's box is still inside for every shipped shape; check it.
    for (const unit of units) {
      const [minLon, minLat, maxLon, maxLat] = unit.geometry.bbox;
      const centre = { lat: round6((minLat + maxLat) / 2), lon: round6((minLon + maxLon) / 2) };
      const found = this.deepestUnit(centre);
      if (found) return { location: centre, unit: found, addressText: this.addressOf(centre, found) };
    }
    throw new Error('no point found inside the city’s units');
  }

  /** A point within `metres` of `origin` that stays in the same unit (a citizen repeating a report). */
  nearby(prng: Prng, origin: GeoPoint, metres: number): GeoPoint {
    const unit = this.deepestUnit(origin);
    for (let attempt = 0; attempt < 20; attempt++) {
      const point = offsetPoint(origin, prng.between(0, metres), prng.between(0, 2 * Math.PI));
      if (this.deepestUnit(point)?.code === unit?.code) return point;
    }
    return origin;
  }

  private pointOnRoad(prng: Prng, segment: RoadSegment): GeoPoint {
    const coordinates = segment.geometry.coordinates;
    const index = prng.int(0, coordinates.length - 2);
    const [lonA, latA] = coordinates[index];
    const [lonB, latB] = coordinates[index + 1];
    const share = prng.float();
    const onLine = { lat: latA + (latB - latA) * share, lon: lonA + (lonB - lonA) * share };
    return offsetPoint(onLine, prng.between(0, 40), prng.between(0, 2 * Math.PI));
  }

  private pointInUnit(prng: Prng, unit: AdminUnit): GeoPoint {
    const [minLon, minLat, maxLon, maxLat] = unit.geometry.bbox;
    return { lat: round6(prng.between(minLat, maxLat)), lon: round6(prng.between(minLon, maxLon)) };
  }

  private addressOf(point: GeoPoint, unit: AdminUnit): string {
    const road = this.nearestSegment(point, 150);
    return road ? `${road.names.vi}, ${unit.names.vi}` : unit.names.vi;
  }

  private nearestSegment(point: GeoPoint, withinMetres = Infinity): RoadSegment | undefined {
    let best: { segment: RoadSegment; metres: number } | undefined;
    for (const segment of this.segments) {
      for (const [lon, lat] of segment.geometry.coordinates) {
        const metres = distanceMetres(point, { lat, lon });
        if (metres <= withinMetres && (!best || metres < best.metres)) best = { segment, metres };
      }
    }
    return best?.segment;
  }
}
