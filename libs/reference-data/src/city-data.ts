/** A name in the city's two required languages: Vietnamese (`vi`) and English (`en`). */
export interface LocalizedName {
  readonly vi: string;
  readonly en: string;
}

/** A WGS 84 point in degrees, shaped like the `location` of events in `@ioc/contracts`. */
export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
}

/** A GeoJSON position: `[lon, lat]` or `[lon, lat, altitude]` (RFC 7946 §3.1.1). */
export type Position = readonly [lon: number, lat: number, ...altitude: number[]];

/** A GeoJSON bounding box in 2D: `[minLon, minLat, maxLon, maxLat]` (RFC 7946 §5). */
export type BBox = readonly [number, number, number, number];

/** A GeoJSON Polygon; the loader adds its `bbox` so point lookups can skip it cheaply. */
export interface PolygonGeometry {
  readonly type: 'Polygon';
  readonly coordinates: readonly (readonly Position[])[];
  readonly bbox: BBox;
}

/** A GeoJSON MultiPolygon (a city with islands); the loader adds its `bbox`. */
export interface MultiPolygonGeometry {
  readonly type: 'MultiPolygon';
  readonly coordinates: readonly (readonly (readonly Position[])[])[];
  readonly bbox: BBox;
}

/** A GeoJSON LineString; the loader adds its `bbox`. */
export interface LineStringGeometry {
  readonly type: 'LineString';
  readonly coordinates: readonly Position[];
  readonly bbox: BBox;
}

/** Levels of Vietnamese administrative units, before and after the 2025 reform. */
export const ADMIN_LEVELS = ['province', 'district', 'ward', 'commune', 'township', 'special-zone'] as const;
/** Level of an administrative unit. */
export type AdminLevel = (typeof ADMIN_LEVELS)[number];

/**
 * The hierarchies a unit can belong to: `pre-2025` (city → district → ward/commune/township) and
 * `2025` (two levels after the 2025 reform: city → ward/commune/special zone).
 */
export const ADMIN_HIERARCHIES = ['pre-2025', '2025'] as const;
/** Hierarchy of an administrative unit. */
export type AdminHierarchy = (typeof ADMIN_HIERARCHIES)[number];

/** The city a data folder describes (`city.json`). */
export interface City {
  /** Stable slug, e.g. `hai-phong`. */
  readonly code: string;
  readonly names: LocalizedName;
  /** IANA zone; KPI day and month boundaries and units' effective dates are in it. */
  readonly timezone: string;
  readonly centre: GeoPoint;
  /** Every unit, camera and road segment lies inside it. */
  readonly bbox: BBox;
  /** BCP 47 tag, e.g. `vi`. */
  readonly defaultLocale: string;
}

/**
 * One version of an administrative unit (`admin-units.geojson`). A code may have several versions
 * (a unit re-drawn by a reform) whose validity periods do not overlap.
 */
export interface AdminUnit {
  readonly code: string;
  readonly names: LocalizedName;
  readonly level: AdminLevel;
  /** Code of the parent in the same hierarchy; `null` for the province. */
  readonly parentCode: string | null;
  readonly hierarchy: AdminHierarchy;
  /** First day of validity (`YYYY-MM-DD`, in the city's time zone). */
  readonly validFrom: string;
  /** First day it is no longer valid (exclusive), or `null` while current. */
  readonly validTo: string | null;
  /** `validFrom` as epoch milliseconds: midnight at the start of that day in the city's zone. */
  readonly effectiveFrom: number;
  /** `validTo` as epoch milliseconds, or `null` while current. */
  readonly effectiveTo: number | null;
  readonly geometry: PolygonGeometry | MultiPolygonGeometry;
}

/** Kinds of agency that receive and handle reports. */
export const AGENCY_KINDS = [
  'operations-center',
  'city-committee',
  'city-department',
  'district-committee',
  'ward-committee',
  'commune-committee',
  'police',
  'utility',
] as const;
/** Kind of an agency. */
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/** Public office contact of an agency; never a person's private data. */
export interface AgencyContact {
  readonly phone?: string;
  readonly email?: string;
  readonly website?: string;
  readonly address?: string;
}

/** An agency that reports are routed to (`agencies.json`). */
export interface Agency {
  /** Stable id, e.g. `AG-SXD`. */
  readonly id: string;
  readonly names: LocalizedName;
  readonly kind: AgencyKind;
  /** The unit it serves, or `null` when not tied to one. */
  readonly adminUnitCode: string | null;
  readonly contact: AgencyContact | null;
}

/** A report category with its service level and duplicate detection (`categories.json`). */
export interface Category {
  /** Stable kebab-case code, e.g. `street-lighting`. */
  readonly code: string;
  readonly names: LocalizedName;
  /** ISO 8601 durations (`PT4H`, `P3D`); see {@link parseIsoDuration}. */
  readonly sla: { readonly ackWithin: string; readonly resolveWithin: string };
  /** A report within `radiusMeters` of an open one of the same category and `within` of it is a duplicate. */
  readonly duplicate: { readonly radiusMeters: number; readonly within: string };
}

/** `categoryCode` of a routing rule that matches every category. */
export const ANY_CATEGORY = '*';

/** Category × area → agency (`routing-rules.json`); see {@link routeReport} for precedence. */
export interface RoutingRule {
  readonly id: string;
  /** A category code, or {@link ANY_CATEGORY}. */
  readonly categoryCode: string;
  /** A unit code, or `null` for the whole city. */
  readonly adminUnitCode: string | null;
  readonly agencyId: string;
}

/** Kinds of camera the IOC watches. */
export const CAMERA_KINDS = ['traffic-junction', 'one-stop-office', 'public-place'] as const;
/** Kind of a camera. */
export type CameraKind = (typeof CAMERA_KINDS)[number];

/** A registered camera (`cameras.json`); events naming any other camera id are dead-lettered. */
export interface Camera {
  readonly id: string;
  readonly names: LocalizedName;
  readonly kind: CameraKind;
  readonly location: GeoPoint;
  /** The unit whose latest version contains `location`. */
  readonly adminUnitCode: string;
  readonly ownerAgencyId: string;
}

/** A monitored road segment (`road-segments.geojson`). */
export interface RoadSegment {
  readonly id: string;
  readonly names: LocalizedName;
  readonly geometry: LineStringGeometry;
  /** Speed without congestion; congestion levels are measured against it. */
  readonly freeFlowKmh: number;
  /** The unit the segment is filed under; at least one of its vertices lies in it. */
  readonly adminUnitCode: string;
}

/** Pillars of the provincial digital transformation index (DTI), and `overall` for the index itself. */
export const KPI_PILLARS = [
  'overall',
  'digital-government',
  'digital-economy',
  'digital-society',
  'digital-infrastructure',
] as const;
/** DTI pillar of a KPI. */
export type KpiPillar = (typeof KPI_PILLARS)[number];

/** Units a KPI value is measured in; `score` is a composite's 0–100 standing against its inputs' targets. */
export const KPI_UNITS = ['percent', 'rank', 'count', 'hours', 'rating', 'score'] as const;
/** Unit of a KPI. */
export type KpiUnit = (typeof KPI_UNITS)[number];

/**
 * How a KPI's value is formed over a period: `latest` reported value, `ratio` of two event counts, `count` of
 * events, `sum` or `mean` of an event field, a `percentile` of it, `time-share` of entity-time spent in some
 * states, a `gauge` of entities whose latest state counts (open incidents), or a `composite` of other KPIs normalised against their targets.
 */
export const KPI_AGGREGATIONS = [
  'latest',
  'ratio',
  'count',
  'sum',
  'mean',
  'percentile',
  'time-share',
  'gauge',
  'composite',
] as const;
/** Aggregation of a KPI. */
export type KpiAggregation = (typeof KPI_AGGREGATIONS)[number];

/** Whether a target is met at or above its value (`at-least`) or at or below it (`at-most`, e.g. a rank). */
export type KpiDirection = 'at-least' | 'at-most';

/** Calendar periods a KPI is computed for (the contract's `KPI_PERIODS`). */
export type KpiPeriodName = 'hour' | 'day' | 'month' | 'quarter' | 'year';

/** Slices a KPI is broken down by (the contract's dimension kinds); `city` is the whole city. */
export type KpiDimensionName = 'city' | 'unit' | 'agency' | 'category' | 'channel' | 'sector';

/**
 * A KPI target effective from `year` until a later target replaces it. A projection that reaches `value` is on
 * track; one that reaches `atRisk` (on the near side of `value`) is at risk; anything else is off track.
 */
export interface KpiTarget {
  readonly year: number;
  readonly value: number;
  /** Edge of the at-risk band; absent: within 10% of `value` (relative) is at risk. */
  readonly atRisk?: number;
  /** The periods the target applies to; absent: every period of the KPI. */
  readonly periods?: readonly KpiPeriodName[];
  /** Set by the city's plan, or a default chosen for operating the IOC. */
  readonly source: 'city-plan' | 'operational-default';
}

/** A condition on an event's data: a field equals a value, is one of values, or a time is not after another's. */
export type KpiFilter =
  | { readonly field: string; readonly equals: string | number | boolean }
  | { readonly field: string; readonly in: readonly (string | number | boolean)[] }
  | { readonly field: string; readonly notAfterField: string };

/** What a source contributes as a number: a numeric field, or the hours between two time fields. */
export type KpiValueExpression =
  { readonly field: string } | { readonly hoursBetween: readonly [from: string, to: string] };

/**
 * Events of one type that feed a KPI. Their time (the first of `time` present, default `occurredAt`,
 * `observedAt`, `since`) picks the period bucket; `dimensions` names the field each dimension's code is read
 * from (a string or an array of strings). Observations (`ioc.kpi.observation.v1`) feed the KPI whose code they
 * carry, in the dimension they name.
 */
export interface KpiSource {
  readonly event: string;
  readonly where?: readonly KpiFilter[];
  readonly time?: readonly string[];
  readonly value?: KpiValueExpression;
}

/** How a KPI is computed; `kind` is its aggregation. */
export type KpiFormula =
  | { readonly kind: 'ratio'; readonly numerator: KpiSource; readonly denominator: KpiSource }
  | { readonly kind: 'count'; readonly source: KpiSource }
  | { readonly kind: 'sum' | 'mean' | 'latest'; readonly source: KpiSource }
  | { readonly kind: 'percentile'; readonly percentile: number; readonly source: KpiSource }
  | {
      readonly kind: 'time-share';
      readonly source: KpiSource & { readonly entity: string; readonly state: string };
      /** States whose time counts in the numerator. */
      readonly states: readonly string[];
    }
  | {
      readonly kind: 'gauge';
      /** Events that carry the entity's whole state after them (each event's own time orders them). */
      readonly sources: readonly KpiSource[];
      /** The field naming the entity. */
      readonly entity: string;
      /** An entity counts, in the dimension values its latest event carries, when that event passes these. */
      readonly counts: readonly KpiFilter[];
    }
  | {
      readonly kind: 'composite';
      readonly inputs: readonly { readonly kpi: string; readonly weight: number }[];
    };

/** One indicator of the KPI catalog (`kpis.json`). */
export interface Kpi {
  readonly code: string;
  readonly names: LocalizedName;
  readonly pillar: KpiPillar;
  readonly unit: KpiUnit;
  readonly direction: KpiDirection;
  /** `formula.kind`. */
  readonly aggregation: KpiAggregation;
  readonly formula: KpiFormula;
  /** Periods it is computed for, shortest first. */
  readonly periods: readonly KpiPeriodName[];
  /** Dimensions besides `city` and the event field each one's code is read from. */
  readonly dimensions: Readonly<Partial<Record<Exclude<KpiDimensionName, 'city'>, string>>>;
  /** Sorted by year; may be empty for an indicator that is only tracked. */
  readonly targets: readonly KpiTarget[];
}

/** Everything a city's data folder holds, validated and deeply frozen. */
export interface CityData {
  readonly city: City;
  readonly adminUnits: readonly AdminUnit[];
  readonly agencies: readonly Agency[];
  readonly categories: readonly Category[];
  readonly routingRules: readonly RoutingRule[];
  readonly cameras: readonly Camera[];
  readonly roadSegments: readonly RoadSegment[];
  readonly kpis: readonly Kpi[];
}
