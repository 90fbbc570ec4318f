import { qualifiedTable, type Tx } from '@ioc/database';
import type { CityDataUpsert } from '@ioc/platform';
import type { Agency, Camera, CityData, RoadSegment } from '@ioc/reference-data';

/** A registered camera as the rules need it. */
export interface CameraRef {
  id: string;
  lat: number;
  lon: number;
  adminUnitCode: string;
}

/** A registered road segment as the rules need it. */
export interface SegmentRef {
  id: string;
  freeFlowKmh: number;
  lat: number;
  lon: number;
  adminUnitCode: string;
}

/** Cameras, road segments and agency ids loaded from the city's data folder; only the seed writes them. */
export class ReferenceDataRepository implements CityDataUpsert {
  /** Upserts what intake keeps of a city's folder: cameras, road segments and agency ids. */
  async upsert(tx: Tx, data: CityData): Promise<{ cameras: number; roadSegments: number; agencies: number }> {
    await this.upsertCameras(tx, data.cameras);
    await this.upsertSegments(tx, data.roadSegments);
    await this.upsertAgencies(tx, data.agencies);
    return {
      cameras: data.cameras.length,
      roadSegments: data.roadSegments.length,
      agencies: data.agencies.length,
    };
  }

  /** Inserts or updates every camera and marks the ones no longer listed inactive; status is kept. */
  async upsertCameras(tx: Tx, cameras: readonly Camera[]): Promise<void> {
    const table = qualifiedTable(tx, 'cameras');
    const rows = cameras.map((c) => ({
      id: c.id,
      names: c.names,
      kind: c.kind,
      lat: c.location.lat,
      lon: c.location.lon,
      admin_unit_code: c.adminUnitCode,
      owner_agency_id: c.ownerAgencyId,
    }));
    await tx.query(
      `INSERT INTO ${table} (id, names, kind, lat, lon, admin_unit_code, owner_agency_id, active)
       SELECT id, names, kind, lat, lon, admin_unit_code, owner_agency_id, true
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, names jsonb, kind text, lat float8, lon float8,
         admin_unit_code text, owner_agency_id text)
       ON CONFLICT (id) DO UPDATE SET names = excluded.names, kind = excluded.kind, lat = excluded.lat,
         lon = excluded.lon, admin_unit_code = excluded.admin_unit_code,
         owner_agency_id = excluded.owner_agency_id, active = true`,
      [JSON.stringify(rows)],
    );
    await tx.query(`UPDATE ${table} SET active = false WHERE active AND NOT (id = ANY($1::text[]))`, [
      rows.map((r) => r.id),
    ]);
  }

  /** Inserts or updates every segment and marks the ones no longer listed inactive; state is kept. */
  async upsertSegments(tx: Tx, segments: readonly RoadSegment[]): Promise<void> {
    const table = qualifiedTable(tx, 'road_segments');
    const rows = segments.map((s) => {
      // The incident marker sits on the middle vertex: a point of the road itself, not a centroid.
      const [lon, lat] = s.geometry.coordinates[Math.floor(s.geometry.coordinates.length / 2)];
      return {
        id: s.id,
        names: s.names,
        free_flow_kmh: s.freeFlowKmh,
        admin_unit_code: s.adminUnitCode,
        geometry: s.geometry,
        lat,
        lon,
      };
    });
    await tx.query(
      `INSERT INTO ${table} (id, names, free_flow_kmh, admin_unit_code, geometry, lat, lon, active)
       SELECT id, names, free_flow_kmh, admin_unit_code, geometry, lat, lon, true
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, names jsonb, free_flow_kmh float8,
         admin_unit_code text, geometry jsonb, lat float8, lon float8)
       ON CONFLICT (id) DO UPDATE SET names = excluded.names, free_flow_kmh = excluded.free_flow_kmh,
         admin_unit_code = excluded.admin_unit_code, geometry = excluded.geometry, lat = excluded.lat,
         lon = excluded.lon, active = true`,
      [JSON.stringify(rows)],
    );
    await tx.query(`UPDATE ${table} SET active = false WHERE active AND NOT (id = ANY($1::text[]))`, [
      rows.map((r) => r.id),
    ]);
  }

  /** Inserts every agency id and marks the ones no longer listed inactive. */
  async upsertAgencies(tx: Tx, agencies: readonly Agency[]): Promise<void> {
    const table = qualifiedTable(tx, 'agencies');
    const ids = agencies.map((a) => a.id);
    await tx.query(
      `INSERT INTO ${table} (id, active) SELECT id, true FROM unnest($1::text[]) AS t(id)
       ON CONFLICT (id) DO UPDATE SET active = true`,
      [ids],
    );
    await tx.query(`UPDATE ${table} SET active = false WHERE active AND NOT (id = ANY($1::text[]))`, [ids]);
  }

  async agencyExists(tx: Tx, id: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM ${qualifiedTable(tx, 'agencies')} WHERE active AND id = $1`,
      [id],
    );
    return rows.length > 0;
  }

  async findCameras(tx: Tx, ids: readonly string[]): Promise<Map<string, CameraRef>> {
    const rows: { id: string; lat: number; lon: number; admin_unit_code: string }[] = await tx.query(
      `SELECT id, lat, lon, admin_unit_code FROM ${qualifiedTable(tx, 'cameras')}
       WHERE active AND id = ANY($1::text[])`,
      [ids],
    );
    return new Map(
      rows.map((r) => [r.id, { id: r.id, lat: r.lat, lon: r.lon, adminUnitCode: r.admin_unit_code }]),
    );
  }
}
