import type { CameraStatus } from '@ioc/contracts';
import { qualifiedTable, type Tx } from '@ioc/database';

/** A camera's liveness as the heartbeat rules need it. */
export interface CameraLiveness {
  id: string;
  status: CameraStatus | null;
  statusSince: Date | null;
  lastHeartbeatAt: Date | null;
  lat: number;
  lon: number;
  adminUnitCode: string;
}

/** A status change to write: the camera row and its history. */
export interface StatusChange {
  cameraId: string;
  status: CameraStatus;
  at: Date;
}

/** Online time of one camera over a window. */
export interface CameraUptimeRow {
  cameraId: string;
  adminUnitCode: string;
  onlineMs: number;
}

interface LivenessRow {
  id: string;
  status: CameraStatus | null;
  status_since: Date | null;
  last_heartbeat_at: Date | null;
  lat: number;
  lon: number;
  admin_unit_code: string;
}

const LIVENESS = 'id, status, status_since, last_heartbeat_at, lat, lon, admin_unit_code';

/** Camera liveness and its history; set-wise per chunk. */
export class CamerasRepository {
  /** Locks the active cameras among `ids` for the heartbeat chunk's transaction. */
  async lockLiveness(tx: Tx, ids: readonly string[]): Promise<Map<string, CameraLiveness>> {
    const rows: LivenessRow[] = await tx.query(
      `SELECT ${LIVENESS} FROM ${qualifiedTable(tx, 'cameras')}
       WHERE active AND id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, toLiveness(r)]));
  }

  /** Writes heartbeat times and statuses in one statement. */
  async saveLiveness(tx: Tx, cameras: readonly CameraLiveness[]): Promise<void> {
    if (cameras.length === 0) return;
    await tx.query(
      `UPDATE ${qualifiedTable(tx, 'cameras')} AS c
       SET status = r.status, status_since = r.status_since, last_heartbeat_at = r.last_heartbeat_at
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, status text, status_since timestamptz, last_heartbeat_at timestamptz)
       WHERE c.id = r.id`,
      [
        JSON.stringify(
          cameras.map((c) => ({
            id: c.id,
            status: c.status,
            status_since: iso(c.statusSince),
            last_heartbeat_at: iso(c.lastHeartbeatAt),
          })),
        ),
      ],
    );
  }

  /**
   * Takes online cameras silent since before `cutoff` offline, as of their last heartbeat + `afterMs`.
   * With several instances each camera goes offline once: rows are claimed with SKIP LOCKED and the
   * lock re-checks `status` on the newest row version.
   */
  async markSilentOffline(tx: Tx, cutoff: Date, afterMs: number, limit: number): Promise<CameraLiveness[]> {
    const table = qualifiedTable(tx, 'cameras');
    // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE … RETURNING on Postgres.
    const rows: LivenessRow[] = await tx.query(
      `WITH offline AS (
         UPDATE ${table} AS c
         SET status = 'offline', status_since = c.last_heartbeat_at + make_interval(secs => $2::float8 / 1000)
         WHERE c.id IN (
           SELECT id FROM ${table} WHERE status = 'online' AND last_heartbeat_at < $1
           ORDER BY last_heartbeat_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         AND c.status = 'online'
         RETURNING ${LIVENESS.split(', ')
           .map((column) => `c.${column}`)
           .join(', ')})
       SELECT * FROM offline`,
      [cutoff, afterMs, limit],
    );
    return rows.map(toLiveness);
  }

  async recordChanges(tx: Tx, changes: readonly StatusChange[]): Promise<void> {
    if (changes.length === 0) return;
    await tx.query(
      `INSERT INTO ${qualifiedTable(tx, 'camera_status_changes')} (camera_id, status, at)
       SELECT camera_id, status, at FROM jsonb_to_recordset($1::jsonb) AS r(camera_id text, status text, at timestamptz)`,
      [
        JSON.stringify(
          changes.map((c) => ({ camera_id: c.cameraId, status: c.status, at: c.at.toISOString() })),
        ),
      ],
    );
  }

  /** Online milliseconds of every active camera within [from, to), from its status history. */
  async onlineTime(tx: Tx, from: Date, to: Date): Promise<CameraUptimeRow[]> {
    const rows: { id: string; admin_unit_code: string; online_ms: string }[] = await tx.query(
      `WITH spans AS (
         SELECT camera_id, status, at,
           lead(at) OVER (PARTITION BY camera_id ORDER BY at, seq) AS until
         FROM ${qualifiedTable(tx, 'camera_status_changes')}
         WHERE at < $2::timestamptz)
       SELECT c.id, c.admin_unit_code,
         COALESCE(SUM(GREATEST(0, EXTRACT(EPOCH FROM
           LEAST(COALESCE(s.until, $2::timestamptz), $2::timestamptz) - GREATEST(s.at, $1::timestamptz)) * 1000)) FILTER (WHERE s.status = 'online'), 0)
           ::bigint AS online_ms
       FROM ${qualifiedTable(tx, 'cameras')} c
       LEFT JOIN spans s ON s.camera_id = c.id
       WHERE c.active
       GROUP BY c.id, c.admin_unit_code
       ORDER BY c.id`,
      [from, to],
    );
    return rows.map((r) => ({
      cameraId: r.id,
      adminUnitCode: r.admin_unit_code,
      onlineMs: Number(r.online_ms),
    }));
  }

  async list(tx: Tx): Promise<CameraLiveness[]> {
    const rows: LivenessRow[] = await tx.query(
      `SELECT ${LIVENESS} FROM ${qualifiedTable(tx, 'cameras')} WHERE active ORDER BY id`,
    );
    return rows.map(toLiveness);
  }
}

const iso = (time: Date | null): string | null => time?.toISOString() ?? null;

function toLiveness(row: LivenessRow): CameraLiveness {
  return {
    id: row.id,
    status: row.status,
    statusSince: row.status_since,
    lastHeartbeatAt: row.last_heartbeat_at,
    lat: row.lat,
    lon: row.lon,
    adminUnitCode: row.admin_unit_code,
  };
}
