import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The intake schema: the camera, road-segment and agency registry (seeded from the city's data), camera status
 * history for uptime, segment congestion state, incidents and per-camera detection tallies. Reads the
 * schema from the data source, so tests can use random schemas.
 */
export class IntakeSchema1795500000000 implements MigrationInterface {
  readonly name = 'IntakeSchema1795500000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`
      CREATE TABLE ${s}.cameras (
        id text PRIMARY KEY,
        names jsonb NOT NULL,
        kind text NOT NULL,
        lat double precision NOT NULL,
        lon double precision NOT NULL,
        admin_unit_code text NOT NULL,
        owner_agency_id text NOT NULL,
        -- false once the city's data no longer lists it: its events are then unknown (dead-lettered)
        active boolean NOT NULL DEFAULT true,
        status text CHECK (status IN ('online', 'offline')),
        status_since timestamptz,
        last_heartbeat_at timestamptz
      )`);
    // Online cameras ordered by last heartbeat: the offline sweep reads only the silent ones.
    await runner.query(
      `CREATE INDEX cameras_online_heartbeat_idx ON ${s}.cameras (last_heartbeat_at) WHERE status = 'online'`,
    );
    // Agency ids only, to refuse assigning an incident to an agency the city does not have.
    await runner.query(
      `CREATE TABLE ${s}.agencies (id text PRIMARY KEY, active boolean NOT NULL DEFAULT true)`,
    );
    await runner.query(`
      CREATE TABLE ${s}.camera_status_changes (
        seq bigserial PRIMARY KEY,
        camera_id text NOT NULL REFERENCES ${s}.cameras (id),
        status text NOT NULL CHECK (status IN ('online', 'offline')),
        at timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX camera_status_changes_camera_at_idx ON ${s}.camera_status_changes (camera_id, at)`,
    );
    await runner.query(`
      CREATE TABLE ${s}.road_segments (
        id text PRIMARY KEY,
        names jsonb NOT NULL,
        free_flow_kmh double precision NOT NULL,
        admin_unit_code text NOT NULL,
        geometry jsonb NOT NULL,
        lat double precision NOT NULL,
        lon double precision NOT NULL,
        active boolean NOT NULL DEFAULT true,
        level text CHECK (level IN ('free', 'slow', 'congested', 'jammed')),
        level_since timestamptz,
        last_observed_at timestamptz,
        last_speed_kmh double precision,
        observations bigint NOT NULL DEFAULT 0
      )`);
    await runner.query(`
      CREATE TABLE ${s}.incidents (
        id text PRIMARY KEY,
        source text NOT NULL CHECK (source IN ('camera', 'traffic')),
        subject_id text NOT NULL,
        class text NOT NULL,
        severity text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'assigned', 'cleared')),
        count integer NOT NULL CHECK (count >= 1),
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        peak_confidence double precision,
        lat double precision NOT NULL,
        lon double precision NOT NULL,
        admin_unit_code text,
        agency_id text,
        cleared_reason text,
        opened_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        cleared_at timestamptz,
        last_emitted_at timestamptz NOT NULL,
        update_pending boolean NOT NULL DEFAULT false
      )`);
    // At most one live incident per camera (or segment) and class: the correlation rule, enforced by
    // Postgres even while a rebalance lets two instances handle one camera for a moment.
    await runner.query(
      `CREATE UNIQUE INDEX incidents_live_key ON ${s}.incidents (source, subject_id, class) WHERE status <> 'cleared'`,
    );
    await runner.query(
      `CREATE INDEX incidents_live_last_seen_idx ON ${s}.incidents (last_seen_at) WHERE status <> 'cleared'`,
    );
    await runner.query(
      `CREATE INDEX incidents_pending_idx ON ${s}.incidents (last_emitted_at) WHERE update_pending`,
    );
    await runner.query(`CREATE INDEX incidents_agency_idx ON ${s}.incidents (agency_id, opened_at DESC)`);
    await runner.query(`CREATE INDEX incidents_opened_idx ON ${s}.incidents (opened_at DESC, id)`);
    await runner.query(`
      CREATE TABLE ${s}.detection_tallies (
        camera_id text NOT NULL,
        class text NOT NULL,
        total bigint NOT NULL DEFAULT 0,
        below_floor bigint NOT NULL DEFAULT 0,
        late bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (camera_id, class)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(
      `DROP TABLE ${s}.detection_tallies, ${s}.incidents, ${s}.road_segments, ${s}.camera_status_changes, ${s}.agencies, ${s}.cameras`,
    );
  }
}
