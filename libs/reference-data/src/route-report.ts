import { ANY_CATEGORY, type RoutingRule } from './city-data';

/**
 * The rule that routes a report of `categoryCode` located in `unitCodes` (deepest first, as
 * {@link unitsAt} returns them), or `undefined` when none matches. The most specific rule wins:
 * a deeper unit beats a shallower one, any unit beats the whole city, and for the same area an exact
 * category beats `*` — so unit+category > unit+* > city+category > city+*. Rules that tie on all of
 * that are ordered by id, so the answer never depends on file order.
 */
export function routeReport(
  rules: readonly RoutingRule[],
  categoryCode: string,
  unitCodes: readonly string[],
): RoutingRule | undefined {
  let best: { rule: RoutingRule; rank: readonly [number, number] } | undefined;
  for (const rule of rules) {
    if (rule.categoryCode !== categoryCode && rule.categoryCode !== ANY_CATEGORY) continue;
    const area = rule.adminUnitCode === null ? unitCodes.length : unitCodes.indexOf(rule.adminUnitCode);
    if (area < 0) continue;
    const rank = [area, rule.categoryCode === ANY_CATEGORY ? 1 : 0] as const;
    if (!best || compare(rank, best.rank) < 0 || (compare(rank, best.rank) === 0 && rule.id < best.rule.id))
      best = { rule, rank };
  }
  return best?.rule;
}

function compare(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
