import type { ReportChannel, ReportStatus } from '@ioc/contracts';
import { qualifiedTable, type Tx } from '@ioc/database';
import type { OutboxRows } from '@ioc/messaging';
import { Injectable } from '@nestjs/common';
import { OPEN_STATUSES, Report, type SlaDeadline, type TimelineEntry } from './report';
import type { ReportCursor } from './report-cursor';

/** Filters of a report list; every field optional, paging bounded by the controller's DTO. */
export interface ReportFilter {
  agencyId?: string;
  statuses?: readonly ReportStatus[];
  categoryCodes?: readonly string[];
  trackingCodes?: readonly string[];
  adminUnitCode?: string;
  submittedFrom?: Date;
  submittedTo?: Date;
  limit: number;
  /** The page starts after this report, in the list's order (newest submitted first). */
  after?: ReportCursor;
}

/** Whose photos: the citizen's (private) or the agency's answer (public with the answer). */
export type PhotoKind = 'citizen' | 'answer';

/** What an idempotency key holds: nothing yet (this caller is first) or the first request's answer. */
export type IdempotencyClaim =
  { state: 'claimed' } | { state: 'replay'; requestHash: Buffer; response: unknown };

interface ReportRow {
  id: string;
  tracking_code: string;
  secret_hash: Buffer;
  status: ReportStatus;
  channel: ReportChannel;
  category_code: string;
  description: string;
  address_text: string | null;
  lat: number;
  lon: number;
  admin_unit_codes: string[];
  agency_id: string | null;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  attachment_count: number;
  submitted_at: Date;
  updated_at: Date;
  assigned_at: Date | null;
  ack_due_at: Date | null;
  resolve_due_at: Date | null;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  ack_overdue_at: Date | null;
  resolve_overdue_at: Date | null;
  answer: string | null;
  reopen_count: number;
  rating: number | null;
  rating_comment: string | null;
  duplicate_of: string | null;
}

interface TimelineRow {
  report_id: string;
  at: Date;
  action: string;
  status: ReportStatus;
  actor: TimelineEntry['actor'];
  actor_id: string | null;
  note: string | null;
  public: boolean;
}

// Columns a change may touch; everything else is fixed at submission.
const MUTABLE = [
  'status',
  'agency_id',
  'updated_at',
  'assigned_at',
  'ack_due_at',
  'resolve_due_at',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
  'ack_overdue_at',
  'resolve_overdue_at',
  'answer',
  'reopen_count',
  'rating',
  'rating_comment',
  'duplicate_of',
] as const;

/**
 * Reports, their timeline, idempotency keys and channel ids. Every method takes the caller's manager, so a
 * change, its timeline lines and its outbox rows commit in one transaction
 * (docs/architecture.md, "Nothing lost").
 * Values always travel as parameters, never in the SQL text: hostile strings are stored inert.
 */
@Injectable()
export class ReportsRepository {
  /**
   * Inserts a new report with its first timeline lines and the outbox rows announcing it in one statement:
   * submission is the hot path, and each round trip to Postgres costs the service more CPU than the SQL does
   * (docs/bench.md). One statement is atomic by itself, so this write needs no transaction of its own.
   */
  async insert(
    tx: Tx,
    report: Report,
    timeline: readonly TimelineEntry[],
    outbox: OutboxRows,
  ): Promise<void> {
    const parameters: unknown[] = [
      report.id,
      report.trackingCode,
      report.secretHash,
      report.status,
      report.channel,
      report.categoryCode,
      report.description,
      report.addressText,
      report.location.lat,
      report.location.lon,
      report.adminUnitCodes,
      report.agencyId,
      report.reporter.name,
      report.reporter.phone,
      report.reporter.email,
      report.attachmentCount,
      report.submittedAt,
      report.updatedAt,
      report.assignedAt,
      report.ackDueAt,
      report.resolveDueAt,
      report.duplicateOf,
      timeline.map((e) => e.at),
      timeline.map((e) => e.action),
      timeline.map((e) => e.status),
      timeline.map((e) => e.actor),
      timeline.map((e) => e.actorId),
      timeline.map((e) => e.note),
      timeline.map((e) => e.public),
    ];
    // The outbox rows' insert takes the parameters after the report's and the timeline's.
    const events = outbox.size > 0 ? outbox.insert(tx, parameters.length + 1) : undefined;
    if (events) parameters.push(...events.parameters);
    await tx.query(
      `WITH report AS (
         INSERT INTO ${qualifiedTable(tx, 'reports')} (id, tracking_code, secret_hash, status, channel,
           category_code, description, address_text, lat, lon, admin_unit_codes, agency_id, reporter_name,
           reporter_phone, reporter_email, attachment_count, submitted_at, updated_at, assigned_at, ack_due_at,
           resolve_due_at, duplicate_of)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
           $22)
         RETURNING id)${events ? `, outbox AS (${events.sql})` : ''}
       INSERT INTO ${qualifiedTable(tx, 'report_timeline')} (report_id, at, action, status, actor, actor_id, note,
         public)
       SELECT report.id, t.at, t.action, t.status, t.actor, t.actor_id, t.note, t.public
       FROM report, unnest($23::timestamptz[], $24::text[], $25::text[], $26::text[], $27::text[], $28::text[],
         $29::boolean[]) WITH ORDINALITY AS t(at, action, status, actor, actor_id, note, public, position)
       ORDER BY t.position`,
      parameters,
    );
  }

  /** Stores photos of `kind`, replacing earlier ones of that kind (a new answer after a reopening). */
  async putPhotos(
    tx: Tx,
    reportId: string,
    kind: PhotoKind,
    photos: readonly { contentType: string; bytes: Buffer }[],
  ): Promise<void> {
    const table = qualifiedTable(tx, 'report_photos');
    if (kind === 'answer')
      await tx.query(`DELETE FROM ${table} WHERE report_id = $1 AND kind = $2`, [reportId, kind]);
    if (photos.length === 0) return;
    await tx.query(
      `INSERT INTO ${table} (report_id, kind, position, content_type, bytes)
       SELECT $1, $2, position - 1, content_type, bytes
       FROM unnest($3::text[], $4::bytea[]) WITH ORDINALITY AS t(content_type, bytes, position)`,
      [reportId, kind, photos.map((p) => p.contentType), photos.map((p) => p.bytes)],
    );
  }

  async photo(
    tx: Tx,
    reportId: string,
    kind: PhotoKind,
    position: number,
  ): Promise<{ contentType: string; bytes: Buffer } | undefined> {
    const rows = await tx.query<{ content_type: string; bytes: Buffer }[]>(
      `SELECT content_type, bytes FROM ${qualifiedTable(tx, 'report_photos')}
       WHERE report_id = $1 AND kind = $2 AND position = $3`,
      [reportId, kind, position],
    );
    return rows[0] && { contentType: rows[0].content_type, bytes: rows[0].bytes };
  }

  async countPhotos(tx: Tx, reportId: string, kind: PhotoKind): Promise<number> {
    const rows = await tx.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${qualifiedTable(tx, 'report_photos')} WHERE report_id = $1 AND kind = $2`,
      [reportId, kind],
    );
    return rows[0].n;
  }

  /** Writes the mutable columns of `report`. */
  async update(tx: Tx, report: Report): Promise<void> {
    const values = [
      report.status,
      report.agencyId,
      report.updatedAt,
      report.assignedAt,
      report.ackDueAt,
      report.resolveDueAt,
      report.acknowledgedAt,
      report.resolvedAt,
      report.closedAt,
      report.ackOverdueAt,
      report.resolveOverdueAt,
      report.answer,
      report.reopenCount,
      report.rating,
      report.ratingComment,
      report.duplicateOf,
    ];
    const set = MUTABLE.map((column, i) => `${column} = $${i + 2}`).join(', ');
    await tx.query(
      `UPDATE ${qualifiedTable(tx, 'reports')} SET ${set}, version = version + 1 WHERE id = $1`,
      [report.id, ...values],
    );
  }

  /** A report by id, locked for the rest of the transaction when it is about to change. */
  async findById(tx: Tx, id: string, lock = false): Promise<Report | undefined> {
    const rows = await tx.query<ReportRow[]>(
      `SELECT * FROM ${qualifiedTable(tx, 'reports')} WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] && toReport(rows[0]);
  }

  async findByTrackingCode(tx: Tx, code: string, lock = false): Promise<Report | undefined> {
    const rows = await tx.query<ReportRow[]>(
      `SELECT * FROM ${qualifiedTable(tx, 'reports')} WHERE tracking_code = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [code],
    );
    return rows[0] && toReport(rows[0]);
  }

  async list(tx: Tx, filter: ReportFilter): Promise<Report[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.agencyId !== undefined) add((p) => `agency_id = ${p}`, filter.agencyId);
    if (filter.statuses !== undefined) add((p) => `status = ANY(${p}::text[])`, filter.statuses);
    if (filter.categoryCodes !== undefined)
      add((p) => `category_code = ANY(${p}::text[])`, filter.categoryCodes);
    if (filter.trackingCodes !== undefined)
      add((p) => `tracking_code = ANY(${p}::text[])`, filter.trackingCodes);
    if (filter.adminUnitCode !== undefined) add((p) => `${p} = ANY(admin_unit_codes)`, filter.adminUnitCode);
    if (filter.submittedFrom !== undefined) add((p) => `submitted_at >= ${p}`, filter.submittedFrom);
    if (filter.submittedTo !== undefined) add((p) => `submitted_at < ${p}`, filter.submittedTo);
    if (filter.after !== undefined) {
      // Keyset paging in the list's order (submitted_at DESC, id): what comes after the cursor's report.
      params.push(filter.after.submittedAt, filter.after.id);
      const [at, id] = [`$${params.length - 1}`, `$${params.length}`];
      where.push(`(submitted_at < ${at} OR (submitted_at = ${at} AND id > ${id}))`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const table = qualifiedTable(tx, 'reports');
    const rows = await tx.query<ReportRow[]>(
      `SELECT * FROM ${table} ${clause} ORDER BY submitted_at DESC, id LIMIT $${params.length + 1}`,
      [...params, filter.limit],
    );
    return rows.map(toReport);
  }

  async addTimeline(tx: Tx, entries: readonly TimelineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(
      `INSERT INTO ${qualifiedTable(tx, 'report_timeline')} (report_id, at, action, status, actor, actor_id, note, public)
       SELECT report_id, at, action, status, actor, actor_id, note, public
       FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::boolean[]) WITH ORDINALITY AS t(report_id, at, action, status, actor, actor_id, note, public, position)
       ORDER BY position`,
      [
        entries.map((e) => e.reportId),
        entries.map((e) => e.at),
        entries.map((e) => e.action),
        entries.map((e) => e.status),
        entries.map((e) => e.actor),
        entries.map((e) => e.actorId),
        entries.map((e) => e.note),
        entries.map((e) => e.public),
      ],
    );
  }

  async timeline(tx: Tx, reportId: string, publicOnly: boolean): Promise<TimelineEntry[]> {
    const rows = await tx.query<TimelineRow[]>(
      `SELECT * FROM ${qualifiedTable(tx, 'report_timeline')}
       WHERE report_id = $1 ${publicOnly ? 'AND public' : ''} ORDER BY id`,
      [reportId],
    );
    return rows.map((r) => ({
      reportId: r.report_id,
      at: r.at,
      action: r.action,
      status: r.status,
      actor: r.actor,
      actorId: r.actor_id,
      note: r.note,
      public: r.public,
    }));
  }

  /**
   * Takes `key` for this transaction, or returns what the first request stored. A concurrent request with the
   * same key waits on the primary key until the first one commits, then sees its answer: one report.
   */
  async claimIdempotencyKey(
    tx: Tx,
    key: string,
    requestHash: Buffer,
    now: Date,
    ttlMs: number,
  ): Promise<IdempotencyClaim> {
    const table = qualifiedTable(tx, 'idempotency_keys');
    // An expired key is free again.
    await tx.query(`DELETE FROM ${table} WHERE key = $1 AND created_at < $2`, [
      key,
      new Date(now.getTime() - ttlMs),
    ]);
    const inserted = await tx.query<unknown[]>(
      `INSERT INTO ${table} (key, request_hash, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, requestHash, now],
    );
    if (inserted.length > 0) return { state: 'claimed' };
    const rows = await tx.query<{ request_hash: Buffer; response: unknown }[]>(
      `SELECT request_hash, response FROM ${table} WHERE key = $1`,
      [key],
    );
    return { state: 'replay', requestHash: rows[0].request_hash, response: rows[0].response };
  }

  async storeIdempotentResponse(tx: Tx, key: string, response: unknown): Promise<void> {
    await tx.query(`UPDATE ${qualifiedTable(tx, 'idempotency_keys')} SET response = $2 WHERE key = $1`, [
      key,
      JSON.stringify(response),
    ]);
  }

  /**
   * Deletes at most `limit` keys created before `before`, oldest first; rows a concurrent sweep or request
   * holds are skipped, so sweepers on several instances never wait on each other.
   * @returns how many were deleted: fewer than `limit` means none is left
   */
  async purgeIdempotencyKeys(tx: Tx, before: Date, limit: number): Promise<number> {
    const table = qualifiedTable(tx, 'idempotency_keys');
    const rows = await tx.query<{ n: string }[]>(
      `WITH purged AS (
         DELETE FROM ${table} WHERE key IN (
           SELECT key FROM ${table} WHERE created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
         ) RETURNING 1)
       SELECT count(*) AS n FROM purged`,
      [before, limit],
    );
    return Number(rows[0].n);
  }

  /**
   * Open reports of `categoryCode` registered since `since` inside the box around a point, not themselves
   * duplicates: the candidates a new report may duplicate. The caller measures the real distance.
   */
  async openNear(
    tx: Tx,
    query: { categoryCode: string; lat: number; lon: number; dLat: number; dLon: number; since: Date },
  ): Promise<Report[]> {
    const rows = await tx.query<ReportRow[]>(
      `SELECT * FROM ${qualifiedTable(tx, 'reports')}
       WHERE category_code = $1 AND status = ANY($2::text[]) AND duplicate_of IS NULL AND submitted_at >= $3
         AND lat BETWEEN $4 AND $5 AND lon BETWEEN $6 AND $7
       ORDER BY submitted_at LIMIT 50`,
      [
        query.categoryCode,
        OPEN_STATUSES,
        query.since,
        query.lat - query.dLat,
        query.lat + query.dLat,
        query.lon - query.dLon,
        query.lon + query.dLon,
      ],
    );
    return rows.map(toReport);
  }

  /** How many reports are linked to `reportId` as likely duplicates: the wall shows one problem with a count. */
  async countDuplicatesOf(tx: Tx, reportId: string): Promise<number> {
    const rows = await tx.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${qualifiedTable(tx, 'reports')} WHERE duplicate_of = $1`,
      [reportId],
    );
    return rows[0].n;
  }

  /** The report already registered for a channel's id, if any. */
  async findByExternalId(tx: Tx, channel: string, externalId: string): Promise<string | undefined> {
    const rows = await tx.query<{ report_id: string }[]>(
      `SELECT report_id FROM ${qualifiedTable(tx, 'external_ids')} WHERE channel = $1 AND external_id = $2`,
      [channel, externalId],
    );
    return rows[0]?.report_id;
  }

  /** Records a channel's id for a report; false when another transaction got there first. */
  async claimExternalId(tx: Tx, channel: string, externalId: string, reportId: string): Promise<boolean> {
    const rows = await tx.query<unknown[]>(
      `INSERT INTO ${qualifiedTable(tx, 'external_ids')} (channel, external_id, report_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING report_id`,
      [channel, externalId, reportId],
    );
    return rows.length > 0;
  }

  /**
   * Up to `limit` reports whose `deadline` passed unannounced, locked for the caller to mark. SKIP LOCKED lets
   * sweepers share the work, and a row another sweeper marked meanwhile is re-checked against the WHERE
   * (READ COMMITTED re-evaluates it on the row's latest version before locking): each breach is claimed, and
   * so announced, exactly once however many instances sweep.
   */
  async claimOverdue(tx: Tx, deadline: SlaDeadline, now: Date, limit: number): Promise<Report[]> {
    const [due, mark, statuses] =
      deadline === 'ack'
        ? ['ack_due_at', 'ack_overdue_at', ['assigned']]
        : ['resolve_due_at', 'resolve_overdue_at', ['assigned', 'acknowledged', 'in-progress']];
    const rows = await tx.query<ReportRow[]>(
      `SELECT * FROM ${qualifiedTable(tx, 'reports')}
       WHERE ${mark} IS NULL AND ${due} <= $1 AND status = ANY($2::text[])
       ORDER BY ${due} LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [now, statuses, limit],
    );
    return rows.map(toReport);
  }

  /** Resolved reports answered before `answeredBefore`, locked so that only one sweeper closes each. */
  async claimResolvedBefore(tx: Tx, answeredBefore: Date, limit: number): Promise<Report[]> {
    const rows = await tx.query<ReportRow[]>(
      `SELECT * FROM ${qualifiedTable(tx, 'reports')}
       WHERE status = 'resolved' AND resolved_at <= $1
       ORDER BY resolved_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [answeredBefore, limit],
    );
    return rows.map(toReport);
  }
}

function toReport(r: ReportRow): Report {
  return Report.restore({
    id: r.id,
    trackingCode: r.tracking_code,
    secretHash: r.secret_hash,
    status: r.status,
    channel: r.channel,
    categoryCode: r.category_code,
    description: r.description,
    addressText: r.address_text,
    location: { lat: r.lat, lon: r.lon },
    adminUnitCodes: r.admin_unit_codes,
    agencyId: r.agency_id,
    reporter: { name: r.reporter_name, phone: r.reporter_phone, email: r.reporter_email },
    attachmentCount: r.attachment_count,
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
    assignedAt: r.assigned_at,
    ackDueAt: r.ack_due_at,
    resolveDueAt: r.resolve_due_at,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    ackOverdueAt: r.ack_overdue_at,
    resolveOverdueAt: r.resolve_overdue_at,
    answer: r.answer,
    reopenCount: r.reopen_count,
    rating: r.rating,
    ratingComment: r.rating_comment,
    duplicateOf: r.duplicate_of,
  });
}
