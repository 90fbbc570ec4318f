export {
  ADMIN_HIERARCHIES,
  ADMIN_LEVELS,
  type AdminHierarchy,
  type AdminLevel,
  type AdminUnit,
  type Agency,
  type AgencyContact,
  type AgencyKind,
  AGENCY_KINDS,
  ANY_CATEGORY,
  type BBox,
  type Camera,
  type CameraKind,
  CAMERA_KINDS,
  type Category,
  type City,
  type CityData,
  type GeoPoint,
  type Kpi,
  type KpiAggregation,
  KPI_AGGREGATIONS,
  type KpiDirection,
  type KpiDimensionName,
  type KpiFilter,
  type KpiFormula,
  type KpiPeriodName,
  type KpiSource,
  type KpiValueExpression,
  type KpiPillar,
  KPI_PILLARS,
  type KpiTarget,
  type KpiUnit,
  KPI_UNITS,
  type LineStringGeometry,
  type LocalizedName,
  type MultiPolygonGeometry,
  type PolygonGeometry,
  type Position,
  type RoadSegment,
  type RoutingRule,
} from './city-data';
export { parseIsoDuration } from './iso-duration';
export { loadCityData, type LoadCityDataOptions } from './load-city-data';
export { CITY_DATA_FILES } from './loader/city-data-files';
export {
  InvalidDurationError,
  ReferenceDataError,
  type ReferenceDataProblem,
  type ReferenceDataProblemCode,
} from './reference-data.errors';
export { routeReport } from './route-report';
export { unitsAt } from './units-at';
export { startOfDayIn } from './zoned-date';
export { cityDataEnv } from './city-data.env';
