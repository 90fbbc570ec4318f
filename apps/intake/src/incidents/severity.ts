import type { DetectionClass, IncidentSeverity } from '@ioc/contracts';
import type { SeverityRule } from '../config';

/** What the severity rules look at. */
export interface SeverityInput {
  class: DetectionClass;
  peakConfidence: number | null;
  count: number;
  /** When the incident was last seen; its local hour in the city's zone is matched. */
  at: Date;
}

/**
 * Severity from configurable rules (class, confidence, count, time of day): the first rule whose
 * every given condition holds wins; `medium` when none does. Hours are local to the city's zone.
 */
export class SeverityRules {
  private readonly hourFormat: Intl.DateTimeFormat;

  constructor(
    private readonly rules: readonly SeverityRule[],
    timeZone: string,
  ) {
    this.hourFormat = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' });
  }

  severityOf(input: SeverityInput): IncidentSeverity {
    const hour = Number(this.hourFormat.format(input.at));
    const rule = this.rules.find(
      (r) =>
        (r.classes === undefined || r.classes.includes(input.class)) &&
        (r.minConfidence === undefined || (input.peakConfidence ?? 0) >= r.minConfidence) &&
        (r.minCount === undefined || input.count >= r.minCount) &&
        (r.hours === undefined || inHours(hour, r.hours)),
    );
    return rule?.severity ?? 'medium';
  }
}

function inHours(hour: number, [from, to]: readonly [number, number]): boolean {
  return from < to ? hour >= from && hour < to : hour >= from || hour < to;
}
