import { z } from 'zod';
import { ADMIN_HIERARCHIES, ADMIN_LEVELS, type AdminHierarchy, type AdminLevel } from '../city-data';
import {
  addProblem,
  areaGeometry,
  calendarDay,
  featureCollection,
  identifier,
  localizedName,
} from './common.schema';

/**
 * The level of a unit's parent, per hierarchy and level; a level missing here does not exist in that
 * hierarchy. The 2025 reform removed districts (and with them townships) and added special zones.
 */
export const PARENT_LEVEL: Readonly<Record<AdminHierarchy, Partial<Record<AdminLevel, AdminLevel>>>> = {
  'pre-2025': { district: 'province', ward: 'district', commune: 'district', township: 'district' },
  '2025': { ward: 'province', commune: 'province', 'special-zone': 'province' },
};

function levelsOf(hierarchy: AdminHierarchy): AdminLevel[] {
  return ADMIN_LEVELS.filter((level) => level === 'province' || PARENT_LEVEL[hierarchy][level] !== undefined);
}

const unitProperties = z
  .strictObject({
    code: identifier,
    names: localizedName,
    level: z.enum(ADMIN_LEVELS),
    parentCode: identifier.nullable(),
    hierarchy: z.enum(ADMIN_HIERARCHIES),
    validFrom: calendarDay,
    validTo: calendarDay.nullable(),
  })
  .superRefine((unit, ctx) => {
    if (unit.validTo !== null && unit.validTo <= unit.validFrom)
      addProblem(ctx, 'INVALID_VALIDITY', `must be after validFrom (${unit.validFrom})`, ['validTo']);
    const levels = levelsOf(unit.hierarchy);
    if (!levels.includes(unit.level))
      addProblem(
        ctx,
        'INVALID_HIERARCHY',
        `the ${unit.hierarchy} hierarchy has no ${unit.level} level (it has ${levels.join(', ')})`,
        ['level'],
      );
    if (unit.level === 'province' && unit.parentCode !== null)
      addProblem(ctx, 'INVALID_HIERARCHY', 'a province has no parent; must be null', ['parentCode']);
    if (unit.level !== 'province' && unit.parentCode === null)
      addProblem(ctx, 'INVALID_HIERARCHY', `a ${unit.level} needs a parent unit`, ['parentCode']);
  });

/** `admin-units.geojson`. */
export const adminUnitsSchema = featureCollection(unitProperties, areaGeometry);
export type AdminUnitsFile = z.infer<typeof adminUnitsSchema>;
