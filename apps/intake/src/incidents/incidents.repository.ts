import type { IncidentSource, IncidentStatus } from '@ioc/contracts';
import { qualifiedTable, type Tx } from '@ioc/database';
import type { Incident } from './incident';
import type { IncidentCursor } from './incident-cursor';

interface IncidentRow {
  id: string;
  source: Incident['source'];
  subject_id: string;
  class: Incident['class'];
  severity: Incident['severity'];
  status: Incident['status'];
  count: number;
  first_seen_at: Date;
  last_seen_at: Date;
  peak_confidence: number | null;
  lat: number;
  lon: number;
  admin_unit_code: string | null;
  agency_id: string | null;
  cleared_reason: Incident['clearedReason'];
  opened_at: Date;
  acknowledged_at: Date | null;
  cleared_at: Date | null;
  last_emitted_at: Date;
  update_pending: boolean;
}

/** A page of incidents, newest opened first. */
export interface IncidentQuery {
  agencyId?: string;
  status?: IncidentStatus;
  source?: IncidentSource;
  limit: number;
  /** Keyset cursor: incidents opened before this (opened_at, id). */
  after?: IncidentCursor;
}

const COLUMNS = `id, source, subject_id, class, severity, status, count, first_seen_at, last_seen_at,
  peak_confidence, lat, lon, admin_unit_code, agency_id, cleared_reason, opened_at, acknowledged_at,
  cleared_at, last_emitted_at, update_pending`;

const RECORD = `r(id text, source text, subject_id text, class text, severity text, status text, count int,
  first_seen_at timestamptz, last_seen_at timestamptz, peak_confidence float8, lat float8, lon float8,
  admin_unit_code text, agency_id text, cleared_reason text, opened_at timestamptz, acknowledged_at timestamptz,
  cleared_at timestamptz, last_emitted_at timestamptz, update_pending boolean)`;

/** Incidents, written set-wise: one statement per chunk, whatever its size. */
export class IncidentsRepository {
  /** Locks the live incidents of the given subjects and classes for the caller's transaction. */
  async lockLive(
    tx: Tx,
    source: IncidentSource,
    keys: readonly { subjectId: string; class: string }[],
  ): Promise<Incident[]> {
    if (keys.length === 0) return [];
    const rows: IncidentRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'incidents')}
       WHERE status <> 'cleared' AND source = $1
         AND (subject_id, class) IN (SELECT * FROM unnest($2::text[], $3::text[]))
       ORDER BY id FOR UPDATE`,
      [source, keys.map((k) => k.subjectId), keys.map((k) => k.class)],
    );
    return rows.map(toIncident);
  }

  /**
   * Inserts or updates `incidents` in one statement. Callers save the updated ones before the new ones:
   * an expired incident must leave the live index before its successor enters it.
   */
  async save(tx: Tx, incidents: readonly Incident[]): Promise<void> {
    if (incidents.length === 0) return;
    await tx.query(
      `INSERT INTO ${qualifiedTable(tx, 'incidents')} (${COLUMNS})
       SELECT ${COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS ${RECORD}
       ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, status = excluded.status,
         count = excluded.count, first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at,
         peak_confidence = excluded.peak_confidence, agency_id = excluded.agency_id,
         cleared_reason = excluded.cleared_reason, acknowledged_at = excluded.acknowledged_at,
         cleared_at = excluded.cleared_at, last_emitted_at = excluded.last_emitted_at,
         update_pending = excluded.update_pending`,
      [JSON.stringify(incidents.map(toRow))],
    );
  }

  async findById(tx: Tx, id: string, lock = false): Promise<Incident | undefined> {
    const rows: IncidentRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'incidents')} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] && toIncident(rows[0]);
  }

  async list(tx: Tx, query: IncidentQuery): Promise<Incident[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.agencyId !== undefined) where.push(`agency_id = ${param(query.agencyId)}`);
    if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
    if (query.source !== undefined) where.push(`source = ${param(query.source)}`);
    if (query.after) {
      where.push(`(opened_at, id) < (${param(query.after.openedAt)}::timestamptz, ${param(query.after.id)})`);
    }
    const rows: IncidentRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'incidents')}
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY opened_at DESC, id DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return rows.map(toIncident);
  }

  /**
   * Claims live incidents last seen before `cutoff`, skipping rows another instance holds: with two
   * sweepers each incident is cleared once (the lock re-checks `status` on the newest row version).
   */
  async claimQuiet(tx: Tx, cutoff: Date, limit: number): Promise<Incident[]> {
    const rows: IncidentRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'incidents')}
       WHERE status <> 'cleared' AND last_seen_at < $1
       ORDER BY last_seen_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [cutoff, limit],
    );
    return rows.map(toIncident);
  }

  /** Claims live incidents whose merged detections are unannounced and whose rate limit has passed. */
  async claimPendingUpdates(tx: Tx, cutoff: Date, limit: number): Promise<Incident[]> {
    const rows: IncidentRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'incidents')}
       WHERE update_pending AND status <> 'cleared' AND last_emitted_at <= $1
       ORDER BY last_emitted_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [cutoff, limit],
    );
    return rows.map(toIncident);
  }

  /** Adds the chunk's per-camera counts to the tallies. */
  async addTallies(
    tx: Tx,
    tallies: readonly { cameraId: string; class: string; total: number; belowFloor: number; late: number }[],
  ): Promise<void> {
    if (tallies.length === 0) return;
    const table = qualifiedTable(tx, 'detection_tallies');
    await tx.query(
      `INSERT INTO ${table} AS t (camera_id, class, total, below_floor, late)
       SELECT camera_id, class, total, below_floor, late
       FROM jsonb_to_recordset($1::jsonb) AS r(camera_id text, class text, total bigint, below_floor bigint, late bigint)
       ON CONFLICT (camera_id, class) DO UPDATE SET total = t.total + excluded.total,
         below_floor = t.below_floor + excluded.below_floor, late = t.late + excluded.late`,
      [
        JSON.stringify(
          tallies.map((t) => ({
            camera_id: t.cameraId,
            class: t.class,
            total: t.total,
            below_floor: t.belowFloor,
            late: t.late,
          })),
        ),
      ],
    );
  }
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    source: row.source,
    subjectId: row.subject_id,
    class: row.class,
    severity: row.severity,
    status: row.status,
    count: row.count,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    peakConfidence: row.peak_confidence,
    lat: row.lat,
    lon: row.lon,
    adminUnitCode: row.admin_unit_code,
    agencyId: row.agency_id,
    clearedReason: row.cleared_reason,
    openedAt: row.opened_at,
    acknowledgedAt: row.acknowledged_at,
    clearedAt: row.cleared_at,
    lastEmittedAt: row.last_emitted_at,
    updatePending: row.update_pending,
  };
}

const iso = (time: Date | null): string | null => time?.toISOString() ?? null;

function toRow(incident: Incident): Record<string, unknown> {
  return {
    id: incident.id,
    source: incident.source,
    subject_id: incident.subjectId,
    class: incident.class,
    severity: incident.severity,
    status: incident.status,
    count: incident.count,
    first_seen_at: incident.firstSeenAt.toISOString(),
    last_seen_at: incident.lastSeenAt.toISOString(),
    peak_confidence: incident.peakConfidence,
    lat: incident.lat,
    lon: incident.lon,
    admin_unit_code: incident.adminUnitCode,
    agency_id: incident.agencyId,
    cleared_reason: incident.clearedReason,
    opened_at: incident.openedAt.toISOString(),
    acknowledged_at: iso(incident.acknowledgedAt),
    cleared_at: iso(incident.clearedAt),
    last_emitted_at: incident.lastEmittedAt.toISOString(),
    update_pending: incident.updatePending,
  };
}
