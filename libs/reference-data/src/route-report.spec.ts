import type { RoutingRule } from './city-data';
import { routeReport } from './route-report';

const rule = (id: string, categoryCode: string, adminUnitCode: string | null): RoutingRule => ({
  id,
  categoryCode,
  adminUnitCode,
  agencyId: `AG-${id}`,
});

// A ward W inside district D; report locations arrive deepest first, as unitsAt returns them.
const RULES: readonly RoutingRule[] = [
  rule('city-any', '*', null),
  rule('city-roads', 'roads', null),
  rule('city-noise', 'noise', null),
  rule('district-any', '*', 'D'),
  rule('district-roads', 'roads', 'D'),
  rule('ward-lighting', 'lighting', 'W'),
  rule('other-ward-any', '*', 'X'),
];
const IN_WARD = ['W', 'D', 'CITY'];

describe(routeReport.name, () => {
  const sut = routeReport;

  it.each<[string, string, readonly string[], string]>([
    ['unit+category beats unit+*', 'roads', IN_WARD, 'district-roads'],
    ['unit+* beats city+category', 'noise', IN_WARD, 'district-any'],
    ['a deeper unit beats a shallower one', 'lighting', IN_WARD, 'ward-lighting'],
    ['city+category beats city+*', 'roads', ['Y', 'CITY'], 'city-roads'],
    ['city+* catches the rest', 'trees', ['Y', 'CITY'], 'city-any'],
    ['city+* catches a report with no known unit', 'lighting', [], 'city-any'],
    ['a rule for a unit the report is not in never applies', 'trees', ['W'], 'city-any'],
  ])('%s', (_rule, category, units, expected) => {
    expect(sut(RULES, category, units)?.id).toBe(expected);
  });

  it('returns undefined when nothing matches', () => {
    expect(sut([rule('ward-lighting', 'lighting', 'W')], 'roads', IN_WARD)).toBeUndefined();
  });

  it('breaks a tie by rule id, whatever the order of the rules', () => {
    const tied = [rule('b', 'roads', 'D'), rule('a', 'roads', 'D')];
    expect(sut(tied, 'roads', IN_WARD)?.id).toBe('a');
    expect(sut([...tied].reverse(), 'roads', IN_WARD)?.id).toBe('a');
  });

  it('hands back the rule, so the caller knows the agency and why', () => {
    expect(sut(RULES, 'lighting', IN_WARD)).toEqual(rule('ward-lighting', 'lighting', 'W'));
  });
});
