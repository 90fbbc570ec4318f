import type { Tx } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import { type CategoryRules, ReferenceCatalog } from '../reference/reference-catalog';
import { degreesAround, distanceMeters, type LatLon } from '../common/geo';
import type { Assignment, Report } from './report';
import { OutsideCityError, UnknownCategoryError } from './report.errors';
import { ReportsRepository } from './reports.repository';

/** Where a new report lies and what happens to it first. */
export interface Placement {
  rules: CategoryRules;
  adminUnitCodes: string[];
  /** The open report this one likely duplicates: it is linked, not routed. */
  duplicateOf?: Report;
  /** The routing rule's assignment, when no duplicate holds it back and a rule matches. */
  assignment?: Assignment;
}

/**
 * Routing by the reference data: the units containing a point, the most specific rule for the category
 * there, the category's SLA, and the likely duplicate a new report should wait on.
 */
@Injectable()
export class ReportRoutingService {
  constructor(
    private readonly catalog: ReferenceCatalog,
    private readonly reports: ReportsRepository,
  ) {}

  /** Places a new report; refuses an unknown category or a point outside the city. */
  async place(tx: Tx, categoryCode: string, location: LatLon, at: Date): Promise<Placement> {
    const rules = await this.catalog.category(categoryCode);
    if (!rules) throw new UnknownCategoryError();
    const placement = await this.catalog.place(location, categoryCode, at);
    if (placement.units.length === 0) throw new OutsideCityError();
    const adminUnitCodes = [...new Set(placement.units.map((unit) => unit.code))];
    const duplicateOf = await this.likelyDuplicateOf(tx, categoryCode, location, rules, at);
    if (duplicateOf) return { rules, adminUnitCodes, duplicateOf };
    const rule = placement.rule;
    return {
      rules,
      adminUnitCodes,
      ...(rule && { assignment: withSla(rules, rule.agencyId, { kind: 'routing-rule', ruleId: rule.id }) }),
    };
  }

  /** The rule in force for a report routed again (reopened, or no longer a duplicate); none: triage. */
  async reroute(report: Report, at: Date): Promise<Assignment | undefined> {
    const placement = await this.catalog.place(report.location, report.categoryCode, at);
    if (!placement.rule) return undefined;
    return this.assignment(report.categoryCode, placement.rule.agencyId, {
      kind: 'routing-rule',
      ruleId: placement.rule.id,
    });
  }

  /** An assignment to `agencyId` with the deadlines of the report's category. */
  async assignment(categoryCode: string, agencyId: string, by: Assignment['by']): Promise<Assignment> {
    const rules = await this.catalog.category(categoryCode);
    if (!rules) throw new UnknownCategoryError();
    return withSla(rules, agencyId, by);
  }

  /** The nearest open report of the same category within the category's distance and time. */
  private async likelyDuplicateOf(
    tx: Tx,
    categoryCode: string,
    location: LatLon,
    rules: CategoryRules,
    at: Date,
  ): Promise<Report | undefined> {
    const radius = rules.category.duplicate.radiusMeters;
    if (radius === 0 || rules.duplicateWithinMs === 0) return undefined;
    const box = degreesAround(location, radius);
    const candidates = await this.reports.openNear(tx, {
      categoryCode,
      lat: location.lat,
      lon: location.lon,
      ...box,
      since: new Date(at.getTime() - rules.duplicateWithinMs),
    });
    let best: { report: Report; distance: number } | undefined;
    for (const report of candidates) {
      const distance = distanceMeters(location, report.location);
      if (distance <= radius && (!best || distance < best.distance)) best = { report, distance };
    }
    return best?.report;
  }
}

function withSla(rules: CategoryRules, agencyId: string, by: Assignment['by']): Assignment {
  return { agencyId, by, ackWithinMs: rules.ackWithinMs, resolveWithinMs: rules.resolveWithinMs };
}
