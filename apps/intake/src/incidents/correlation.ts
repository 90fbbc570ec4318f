import type { DetectionClass, IncidentSource } from '@ioc/contracts';
import { type Incident, incidentKey } from './incident';

/** A valid detection of a registered camera. */
export interface Detection {
  cameraId: string;
  class: DetectionClass;
  confidence: number;
  observedAt: Date;
  /** Where the camera is; the incident is placed there. */
  place: IncidentPlace;
}

/** Where an incident is, taken from its camera or road segment. */
export interface IncidentPlace {
  lat: number;
  lon: number;
  adminUnitCode: string;
}

/** Durations in milliseconds. */
export interface CorrelationSettings {
  windowMs: number;
  confidenceFloor: number;
  lateGraceMs: number;
}

/** Counts per camera and class, kept whether or not a detection touched an incident. */
export interface Tally {
  cameraId: string;
  class: DetectionClass;
  total: number;
  belowFloor: number;
  late: number;
}

/** An incident the fold changed: `isNew` ones are inserted, the others updated. */
export interface Touched {
  incident: Incident;
  isNew: boolean;
  /** Detections merged in this fold (0 for an incident only cleared by it). */
  merged: number;
}

export interface CorrelationOutcome {
  touched: Touched[];
  tallies: Tally[];
}

/**
 * The correlation rule, folded over a chunk of detections by event time: a detection of a camera
 * and class within `windowMs` of the live incident's span merges into it (count, first/last seen, peak
 * confidence), whatever order the detections arrive in; one after the window clears the old incident
 * (`expired`) and opens another; one below the confidence floor, or older than the late grace (against
 * the clock), or before the live incident's span is counted and changes no incident.
 * Pure: `live` holds the locked live incidents by {@link incidentKey}, and is updated in place.
 * The window arithmetic runs on epoch milliseconds and the incident takes the detection's own `Date`, so the
 * fold itself allocates no `Date`.
 */
export function correlateDetections(
  live: Map<string, Incident>,
  detections: readonly Detection[],
  settings: CorrelationSettings,
  now: Date,
  newId: () => string,
): CorrelationOutcome {
  const tallies = new Map<string, Tally>();
  const touched = new Map<string, Touched>();
  const source: IncidentSource = 'camera';
  const lateBefore = now.getTime() - settings.lateGraceMs;
  for (const d of detections) {
    const key = incidentKey(source, d.cameraId, d.class);
    const tally = tallies.get(key) ?? {
      cameraId: d.cameraId,
      class: d.class,
      total: 0,
      belowFloor: 0,
      late: 0,
    };
    tallies.set(key, tally);
    tally.total += 1;
    if (d.confidence < settings.confidenceFloor) {
      tally.belowFloor += 1;
      continue;
    }
    const observedAt = d.observedAt.getTime();
    if (observedAt < lateBefore) {
      tally.late += 1;
      continue;
    }
    const current = live.get(key);
    if (current && observedAt < current.firstSeenAt.getTime() - settings.windowMs) {
      tally.late += 1;
      continue;
    }
    if (current && observedAt <= current.lastSeenAt.getTime() + settings.windowMs) {
      merge(current, d);
      const entry = touched.get(current.id) ?? { incident: current, isNew: false, merged: 0 };
      entry.merged += 1;
      touched.set(current.id, entry);
      continue;
    }
    if (current) {
      current.status = 'cleared';
      current.clearedReason = 'expired';
      current.clearedAt = d.observedAt;
      current.updatePending = false;
      if (!touched.has(current.id)) touched.set(current.id, { incident: current, isNew: false, merged: 0 });
    }
    const opened = openIncident(
      newId(),
      source,
      d.cameraId,
      d.class,
      d.place,
      d.observedAt,
      now,
      d.confidence,
    );
    live.set(key, opened);
    touched.set(opened.id, { incident: opened, isNew: true, merged: 1 });
  }
  return { touched: [...touched.values()], tallies: [...tallies.values()] };
}

/** A new incident seen once at `at`; severity is set by the caller from its rules. */
export function openIncident(
  id: string,
  source: IncidentSource,
  subjectId: string,
  cls: DetectionClass,
  place: IncidentPlace,
  at: Date,
  now: Date,
  confidence: number | null,
): Incident {
  return {
    id,
    source,
    subjectId,
    class: cls,
    severity: 'medium',
    status: 'open',
    count: 1,
    firstSeenAt: at,
    lastSeenAt: at,
    peakConfidence: confidence,
    lat: place.lat,
    lon: place.lon,
    adminUnitCode: place.adminUnitCode,
    agencyId: null,
    clearedReason: null,
    openedAt: now,
    acknowledgedAt: null,
    clearedAt: null,
    lastEmittedAt: now,
    updatePending: false,
  };
}

function merge(incident: Incident, d: Detection): void {
  incident.count += 1;
  const at = d.observedAt.getTime();
  if (at < incident.firstSeenAt.getTime()) incident.firstSeenAt = d.observedAt;
  if (at > incident.lastSeenAt.getTime()) incident.lastSeenAt = d.observedAt;
  incident.peakConfidence = Math.max(incident.peakConfidence ?? 0, d.confidence);
}
