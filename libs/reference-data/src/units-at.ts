import type { AdminHierarchy, AdminUnit, GeoPoint } from './city-data';
import { areaContains } from './geometry/geometry';

/**
 * The administrative units containing a point at an instant: for each hierarchy in effect then
 * (or only `hierarchy`), the deepest unit containing the point followed by its ancestors, e.g.
 * `[ward, district, city]` before the 2025 reform and `[ward, city]` after it. Hierarchies come newest
 * first. A point on a shared boundary goes to the unit with the smaller code; a point outside every
 * unit yields `[]`. The result feeds {@link routeReport}, which prefers earlier (deeper) units.
 */
export function unitsAt(
  units: readonly AdminUnit[],
  point: GeoPoint,
  at: Date,
  hierarchy?: AdminHierarchy,
): readonly AdminUnit[] {
  const instant = at.getTime();
  const inEffect = units.filter(
    (unit) =>
      (hierarchy === undefined || unit.hierarchy === hierarchy) &&
      unit.effectiveFrom <= instant &&
      (unit.effectiveTo === null || instant < unit.effectiveTo),
  );
  const deepest = new Map<AdminHierarchy, AdminUnit[]>();
  for (const unit of inEffect) {
    if (!areaContains(unit.geometry, point)) continue;
    const chain = ancestry(unit, inEffect);
    const best = deepest.get(unit.hierarchy);
    if (!best || chain.length > best.length || (chain.length === best.length && unit.code < best[0].code))
      deepest.set(unit.hierarchy, chain);
  }
  return [...deepest.values()]
    .sort((a, b) => newestStart(b) - newestStart(a) || (a[0].hierarchy < b[0].hierarchy ? -1 : 1))
    .flat();
}

function newestStart(chain: readonly AdminUnit[]): number {
  return Math.max(...chain.map((unit) => unit.effectiveFrom));
}

// Parents come from the data, not from geometry: simplified outlines of a ward and its district
// need not nest exactly.
function ancestry(unit: AdminUnit, inEffect: readonly AdminUnit[]): AdminUnit[] {
  const chain = [unit];
  for (let current = unit; current.parentCode !== null;) {
    const parent = inEffect.find((u) => u.code === current.parentCode && u.hierarchy === unit.hierarchy);
    if (!parent || chain.includes(parent)) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}
