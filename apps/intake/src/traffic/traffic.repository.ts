import type { CongestionLevel } from '@ioc/contracts';
import { qualifiedTable, type Tx } from '@ioc/database';

/** A segment's congestion state. */
export interface SegmentState {
  id: string;
  freeFlowKmh: number;
  lat: number;
  lon: number;
  adminUnitCode: string;
  level: CongestionLevel | null;
  levelSince: Date | null;
  lastObservedAt: Date | null;
  lastSpeedKmh: number | null;
  observations: number;
}

interface SegmentRow {
  id: string;
  free_flow_kmh: number;
  lat: number;
  lon: number;
  admin_unit_code: string;
  level: CongestionLevel | null;
  level_since: Date | null;
  last_observed_at: Date | null;
  last_speed_kmh: number | null;
  observations: string;
}

const COLUMNS =
  'id, free_flow_kmh, lat, lon, admin_unit_code, level, level_since, last_observed_at, last_speed_kmh, observations';

/** Road segments' congestion state, set-wise per chunk. */
export class TrafficRepository {
  async lockSegments(tx: Tx, ids: readonly string[]): Promise<Map<string, SegmentState>> {
    const rows: SegmentRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'road_segments')}
       WHERE active AND id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, toState(r)]));
  }

  async save(tx: Tx, segments: readonly SegmentState[]): Promise<void> {
    if (segments.length === 0) return;
    await tx.query(
      `UPDATE ${qualifiedTable(tx, 'road_segments')} AS s
       SET level = r.level, level_since = r.level_since, last_observed_at = r.last_observed_at,
         last_speed_kmh = r.last_speed_kmh, observations = r.observations
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, level text, level_since timestamptz,
         last_observed_at timestamptz, last_speed_kmh float8, observations bigint)
       WHERE s.id = r.id`,
      [
        JSON.stringify(
          segments.map((s) => ({
            id: s.id,
            level: s.level,
            level_since: iso(s.levelSince),
            last_observed_at: iso(s.lastObservedAt),
            last_speed_kmh: s.lastSpeedKmh,
            observations: s.observations,
          })),
        ),
      ],
    );
  }

  async list(tx: Tx): Promise<SegmentState[]> {
    const rows: SegmentRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM ${qualifiedTable(tx, 'road_segments')} WHERE active ORDER BY id`,
    );
    return rows.map(toState);
  }
}

const iso = (time: Date | null): string | null => time?.toISOString() ?? null;

function toState(row: SegmentRow): SegmentState {
  return {
    id: row.id,
    freeFlowKmh: row.free_flow_kmh,
    lat: row.lat,
    lon: row.lon,
    adminUnitCode: row.admin_unit_code,
    level: row.level,
    levelSince: row.level_since,
    lastObservedAt: row.last_observed_at,
    lastSpeedKmh: row.last_speed_kmh,
    observations: Number(row.observations),
  };
}
