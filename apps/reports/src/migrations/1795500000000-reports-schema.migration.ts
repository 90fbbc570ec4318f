import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reports service's own tables (one schema per service, no other service reads them: docs/architecture.md, "Event
 * flow").
 *
 * - Reference data (`categories`, `agencies`, `admin_units`, `routing_rules`) is a copy the seed upserts from a
 *   city's folder; an admin unit is keyed by (code, hierarchy, valid_from) because the 2025 reform re-drew units
 *   under the same codes. Geometry stays GeoJSON (jsonb): there is no PostGIS, the service evaluates it.
 * - `reports` holds the aggregate; the reporter's contact columns are read only for the assigned agency.
 *   `ack_overdue_at` / `resolve_overdue_at` mark an SLA breach once (the sweep's `WHERE … IS NULL` guard).
 * - `report_timeline`: every change, public or internal.
 * - `report_photos`: the citizen's photos and those of the agency's answer, metadata stripped.
 * - `idempotency_keys`: the first answer to an `Idempotency-Key`, replayed to a retry.
 * - `external_ids`: (channel, external id) → report, so a channel's re-sent report is registered once.
 */
export class ReportsSchema1795500000000 implements MigrationInterface {
  readonly name = 'ReportsSchema1795500000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(`
      CREATE TABLE ${s}.categories (
        code text PRIMARY KEY,
        name_vi text NOT NULL,
        name_en text NOT NULL,
        ack_within text NOT NULL,
        ack_within_ms bigint NOT NULL CHECK (ack_within_ms > 0),
        resolve_within text NOT NULL,
        resolve_within_ms bigint NOT NULL CHECK (resolve_within_ms > 0),
        duplicate_radius_m integer NOT NULL CHECK (duplicate_radius_m >= 0),
        duplicate_within text NOT NULL,
        duplicate_within_ms bigint NOT NULL CHECK (duplicate_within_ms >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${s}.agencies (
        id text PRIMARY KEY,
        name_vi text NOT NULL,
        name_en text NOT NULL,
        kind text NOT NULL,
        admin_unit_code text,
        contact jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${s}.admin_units (
        code text NOT NULL,
        hierarchy text NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        effective_from timestamptz NOT NULL,
        effective_to timestamptz,
        name_vi text NOT NULL,
        name_en text NOT NULL,
        level text NOT NULL,
        parent_code text,
        geometry jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (code, hierarchy, valid_from)
      )`);
    await runner.query(`
      CREATE TABLE ${s}.routing_rules (
        id text PRIMARY KEY,
        category_code text NOT NULL,
        admin_unit_code text,
        agency_id text NOT NULL REFERENCES ${s}.agencies (id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${s}.reports (
        id uuid PRIMARY KEY,
        tracking_code text NOT NULL CONSTRAINT reports_tracking_code_key UNIQUE,
        secret_hash bytea NOT NULL,
        status text NOT NULL,
        channel text NOT NULL,
        category_code text NOT NULL REFERENCES ${s}.categories (code),
        description text NOT NULL,
        address_text text,
        lat double precision NOT NULL,
        lon double precision NOT NULL,
        admin_unit_codes text[] NOT NULL,
        agency_id text REFERENCES ${s}.agencies (id),
        reporter_name text,
        reporter_phone text,
        reporter_email text,
        attachment_count integer NOT NULL DEFAULT 0,
        submitted_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        assigned_at timestamptz,
        ack_due_at timestamptz,
        resolve_due_at timestamptz,
        acknowledged_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        ack_overdue_at timestamptz,
        resolve_overdue_at timestamptz,
        answer text,
        reopen_count integer NOT NULL DEFAULT 0,
        rating integer CHECK (rating BETWEEN 1 AND 5),
        rating_comment text,
        duplicate_of uuid REFERENCES ${s}.reports (id),
        version integer NOT NULL DEFAULT 1
      )`);
    await runner.query(
      `CREATE INDEX reports_agency_status_idx ON ${s}.reports (agency_id, status, submitted_at)`,
    );
    await runner.query(`CREATE INDEX reports_status_idx ON ${s}.reports (status, submitted_at)`);
    // Duplicate detection: same category, a box around the point, only reports that are not duplicates.
    await runner.query(
      `CREATE INDEX reports_nearby_idx ON ${s}.reports (category_code, lat, lon) WHERE duplicate_of IS NULL`,
    );
    // The sweeps only look at open reports with a deadline not yet marked.
    await runner.query(
      `CREATE INDEX reports_ack_due_idx ON ${s}.reports (ack_due_at) WHERE ack_overdue_at IS NULL AND status = 'assigned'`,
    );
    await runner.query(
      `CREATE INDEX reports_resolve_due_idx ON ${s}.reports (resolve_due_at)
       WHERE resolve_overdue_at IS NULL AND status IN ('assigned', 'acknowledged', 'in-progress')`,
    );
    await runner.query(
      `CREATE INDEX reports_resolved_idx ON ${s}.reports (resolved_at) WHERE status = 'resolved'`,
    );
    await runner.query(`
      CREATE TABLE ${s}.report_timeline (
        id bigserial PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES ${s}.reports (id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        action text NOT NULL,
        status text NOT NULL,
        actor text NOT NULL,
        actor_id text,
        note text,
        public boolean NOT NULL
      )`);
    await runner.query(`CREATE INDEX report_timeline_report_idx ON ${s}.report_timeline (report_id, id)`);
    // Photos minus their metadata (EXIF location, authors): the citizen's, private to whoever handles the
    // report, and the agency's with its answer, public with the answer.
    await runner.query(`
      CREATE TABLE ${s}.report_photos (
        report_id uuid NOT NULL REFERENCES ${s}.reports (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('citizen', 'answer')),
        position smallint NOT NULL,
        content_type text NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (report_id, kind, position)
      )`);
    await runner.query(`
      CREATE TABLE ${s}.idempotency_keys (
        key text PRIMARY KEY,
        request_hash bytea NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE ${s}.external_ids (
        channel text NOT NULL,
        external_id text NOT NULL,
        report_id uuid NOT NULL REFERENCES ${s}.reports (id) ON DELETE CASCADE,
        PRIMARY KEY (channel, external_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = quotedSchema(runner);
    await runner.query(
      `DROP TABLE ${s}.external_ids, ${s}.idempotency_keys, ${s}.report_photos, ${s}.report_timeline, ${s}.reports,
         ${s}.routing_rules, ${s}.admin_units, ${s}.agencies, ${s}.categories`,
    );
  }
}
