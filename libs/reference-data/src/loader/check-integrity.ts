import { ANY_CATEGORY, type AdminUnit, type CityData, type Position } from '../city-data';
import { areaContains, bboxContains } from '../geometry/geometry';
import type { ReferenceDataProblem, ReferenceDataProblemCode } from '../reference-data.errors';
import { PARENT_LEVEL } from '../schemas/admin-units.schema';
import { CITY_DATA_FILES as FILES } from './city-data-files';
import { checkKpis } from './check-kpis';

/**
 * Checks what no single file's schema can: references between files, unit versions and their
 * parents, and that places lie where they claim. Every problem names its file, item and field.
 */
export function checkIntegrity(data: CityData): ReferenceDataProblem[] {
  const problems: ReferenceDataProblem[] = [];
  const report = (code: ReferenceDataProblemCode, file: string, path: string, message: string) =>
    problems.push({ code, file, path, message });
  const { city, adminUnits, agencies, categories, routingRules, cameras, roadSegments, kpis } = data;
  const insideCity = (position: Position) => bboxContains(city.bbox, position);
  const cityBox = `the city's bbox [${city.bbox.join(', ')}]`;

  if (!insideCity([city.centre.lon, city.centre.lat]))
    report('OUTSIDE_CITY', FILES.city, 'centre', `must lie inside ${cityBox}`);

  // Administrative units: versions of a code, parents, extent.
  const unitAt = (index: number, field: string) => `features[${index}].${field}`;
  adminUnits.forEach((unit, index) => {
    const earlier = adminUnits.findIndex(
      (other, i) => i < index && other.code === unit.code && overlaps(other, unit),
    );
    if (earlier >= 0)
      report(
        'OVERLAPPING_VALIDITY',
        FILES.adminUnits,
        unitAt(index, 'properties.validFrom'),
        `"${unit.code}" valid ${period(unit)} overlaps its version valid ${period(adminUnits[earlier])} (features[${earlier}])`,
      );
    if (unit.parentCode !== null) checkParent(unit, index);
    const positions =
      unit.geometry.type === 'Polygon' ? unit.geometry.coordinates.flat() : unit.geometry.coordinates.flat(2);
    if (!positions.every(insideCity))
      report('OUTSIDE_CITY', FILES.adminUnits, unitAt(index, 'geometry'), `extends beyond ${cityBox}`);
  });

  function checkParent(unit: AdminUnit, index: number): void {
    const parents = adminUnits.filter((p) => p.code === unit.parentCode && p.hierarchy === unit.hierarchy);
    if (parents.length === 0) {
      report(
        'UNKNOWN_REFERENCE',
        FILES.adminUnits,
        unitAt(index, 'properties.parentCode'),
        `no ${unit.hierarchy} unit "${unit.parentCode}"`,
      );
      return;
    }
    const expected = PARENT_LEVEL[unit.hierarchy][unit.level];
    const wrongLevel = parents.find((parent) => parent.level !== expected);
    if (wrongLevel)
      report(
        'INVALID_HIERARCHY',
        FILES.adminUnits,
        unitAt(index, 'properties.parentCode'),
        `a ${unit.level} of the ${unit.hierarchy} hierarchy belongs to a ${expected}, not to the ${wrongLevel.level} "${wrongLevel.code}"`,
      );
    if (!parents.some((parent) => covers(parent, unit)))
      report(
        'INVALID_VALIDITY',
        FILES.adminUnits,
        unitAt(index, 'properties.validFrom'),
        `valid ${period(unit)}, outside every version of its parent "${unit.parentCode}"`,
      );
  }

  const unitCodes = new Set(adminUnits.map((unit) => unit.code));
  const latestUnit = new Map<string, AdminUnit>();
  for (const unit of adminUnits)
    if ((latestUnit.get(unit.code)?.validFrom ?? '') < unit.validFrom) latestUnit.set(unit.code, unit);
  const unknownUnit = (code: string) => `unknown administrative unit "${code}"`;

  // Agencies.
  const agencyIds = new Set(agencies.map((agency) => agency.id));
  reportDuplicates(
    agencies,
    (agency) => agency.id,
    FILES.agencies,
    (i) => `[${i}].id`,
  );
  agencies.forEach(({ adminUnitCode }, index) => {
    if (adminUnitCode !== null && !unitCodes.has(adminUnitCode))
      report('UNKNOWN_REFERENCE', FILES.agencies, `[${index}].adminUnitCode`, unknownUnit(adminUnitCode));
  });

  // Categories.
  const categoryCodes = new Set(categories.map((category) => category.code));
  reportDuplicates(
    categories,
    (category) => category.code,
    FILES.categories,
    (i) => `[${i}].code`,
  );

  // Routing rules: known references, one rule per (category, area), a catch-all.
  reportDuplicates(
    routingRules,
    (rule) => rule.id,
    FILES.routingRules,
    (i) => `[${i}].id`,
  );
  routingRules.forEach((rule, index) => {
    const at = (field: string) => `[${index}].${field}`;
    if (rule.categoryCode !== ANY_CATEGORY && !categoryCodes.has(rule.categoryCode))
      report(
        'UNKNOWN_REFERENCE',
        FILES.routingRules,
        at('categoryCode'),
        `unknown category "${rule.categoryCode}"`,
      );
    if (rule.adminUnitCode !== null && !unitCodes.has(rule.adminUnitCode))
      report('UNKNOWN_REFERENCE', FILES.routingRules, at('adminUnitCode'), unknownUnit(rule.adminUnitCode));
    if (!agencyIds.has(rule.agencyId))
      report('UNKNOWN_REFERENCE', FILES.routingRules, at('agencyId'), `unknown agency "${rule.agencyId}"`);
    const same = routingRules.findIndex(
      (other, i) =>
        i < index && other.categoryCode === rule.categoryCode && other.adminUnitCode === rule.adminUnitCode,
    );
    if (same >= 0)
      report(
        'AMBIGUOUS_RULE',
        FILES.routingRules,
        `[${index}]`,
        `[${same}] already routes category "${rule.categoryCode}" in ${rule.adminUnitCode === null ? 'the whole city' : `"${rule.adminUnitCode}"`}`,
      );
  });
  if (!routingRules.some((rule) => rule.categoryCode === ANY_CATEGORY && rule.adminUnitCode === null))
    report(
      'MISSING_FALLBACK_RULE',
      FILES.routingRules,
      '',
      `needs a city-wide catch-all rule (categoryCode "${ANY_CATEGORY}", adminUnitCode null) so every report reaches an agency`,
    );

  // Cameras: registered where they stand.
  reportDuplicates(
    cameras,
    (camera) => camera.id,
    FILES.cameras,
    (i) => `[${i}].id`,
  );
  cameras.forEach((camera, index) => {
    const at = (field: string) => `[${index}].${field}`;
    if (!agencyIds.has(camera.ownerAgencyId))
      report(
        'UNKNOWN_REFERENCE',
        FILES.cameras,
        at('ownerAgencyId'),
        `unknown agency "${camera.ownerAgencyId}"`,
      );
    const unit = latestUnit.get(camera.adminUnitCode);
    const { lat, lon } = camera.location;
    if (!unit)
      report('UNKNOWN_REFERENCE', FILES.cameras, at('adminUnitCode'), unknownUnit(camera.adminUnitCode));
    if (!insideCity([lon, lat]))
      report('OUTSIDE_CITY', FILES.cameras, at('location'), `lies outside ${cityBox}`);
    else if (unit && !areaContains(unit.geometry, camera.location))
      report(
        'OUTSIDE_UNIT',
        FILES.cameras,
        at('location'),
        `(${lat}, ${lon}) lies outside "${unit.code}" as drawn from ${unit.validFrom}`,
      );
  });

  // Road segments: filed under a unit they pass through.
  const segmentAt = (index: number, field: string) => `features[${index}].${field}`;
  reportDuplicates(
    roadSegments,
    (segment) => segment.id,
    FILES.roadSegments,
    (i) => segmentAt(i, 'properties.id'),
  );
  roadSegments.forEach((segment, index) => {
    const unit = latestUnit.get(segment.adminUnitCode);
    const vertices = segment.geometry.coordinates;
    if (!unit)
      report(
        'UNKNOWN_REFERENCE',
        FILES.roadSegments,
        segmentAt(index, 'properties.adminUnitCode'),
        unknownUnit(segment.adminUnitCode),
      );
    if (!vertices.every(insideCity))
      report('OUTSIDE_CITY', FILES.roadSegments, segmentAt(index, 'geometry'), `extends beyond ${cityBox}`);
    else if (unit && !vertices.some(([lon, lat]) => areaContains(unit.geometry, { lat, lon })))
      report(
        'OUTSIDE_UNIT',
        FILES.roadSegments,
        segmentAt(index, 'geometry'),
        `no vertex lies inside "${unit.code}" as drawn from ${unit.validFrom}`,
      );
  });

  // KPIs.
  reportDuplicates(
    kpis,
    (kpi) => kpi.code,
    FILES.kpis,
    (i) => `[${i}].code`,
  );
  problems.push(...checkKpis(kpis));

  return problems;

  function reportDuplicates<T>(
    items: readonly T[],
    key: (item: T) => string,
    file: string,
    path: (i: number) => string,
  ) {
    const first = new Map<string, number>();
    items.forEach((item, index) => {
      const id = key(item);
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, index);
      else report('DUPLICATE_ID', file, path(index), `"${id}" is already used by ${path(earlier)}`);
    });
  }
}

// Validity periods are half-open [validFrom, validTo); ISO dates compare correctly as strings.
function overlaps(a: AdminUnit, b: AdminUnit): boolean {
  return (a.validTo === null || b.validFrom < a.validTo) && (b.validTo === null || a.validFrom < b.validTo);
}

function covers(parent: AdminUnit, child: AdminUnit): boolean {
  if (parent.validFrom > child.validFrom) return false;
  if (parent.validTo === null) return true;
  return child.validTo !== null && child.validTo <= parent.validTo;
}

function period(unit: AdminUnit): string {
  return `from ${unit.validFrom} ${unit.validTo === null ? 'on' : `to ${unit.validTo}`}`;
}
