import type {
  DetectionClass,
  IncidentClearedReason,
  IncidentSeverity,
  IncidentSource,
  IncidentStatus,
} from '@ioc/contracts';

/**
 * An incident as intake keeps it. Times are UTC instants (docs/architecture.md, "Inside a service"), treated
 * as values: never mutated, so the rules share them (a detection's time becomes the incident's last seen).
 */
export interface Incident {
  id: string;
  source: IncidentSource;
  /** The camera id for `camera` incidents, the road segment id for `traffic` ones. */
  subjectId: string;
  class: DetectionClass;
  severity: IncidentSeverity;
  status: IncidentStatus;
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  peakConfidence: number | null;
  lat: number;
  lon: number;
  adminUnitCode: string | null;
  agencyId: string | null;
  clearedReason: IncidentClearedReason | null;
  openedAt: Date;
  acknowledgedAt: Date | null;
  clearedAt: Date | null;
  lastEmittedAt: Date;
  /** Merged detections not yet announced: the sweeper sends the rate-limited `updated`. */
  updatePending: boolean;
}

/** The correlation key: one live incident per source subject and class. */
export function incidentKey(source: IncidentSource, subjectId: string, cls: string): string {
  return `${source}\u0000${subjectId}\u0000${cls}`;
}
