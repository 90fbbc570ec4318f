import type { Principal } from '@ioc/auth';
import { EventTypes, type IocEvent } from '@ioc/contracts';
import { aJpegWithExif, aReportsTestCity } from '../../../../test/factories/reports';
import { PhotoSanitizer } from '../photos/photo-sanitizer';
import { ReferenceCatalog, ReferenceSource, type ReferenceSnapshot } from '../reference/reference-catalog';
import { Clock } from '@ioc/platform';
import { IdGenerator } from '../common/ports';
import { type Tx, UnitOfWork } from '@ioc/database';
import { Outbox, type OutboxRows } from '@ioc/messaging';
import { IdempotencyService } from './idempotency.service';
import { OPEN_STATUSES, Report, type ReportState, type TimelineEntry } from './report';
import { ReportPhotosService } from './report-photos.service';
import { ReportRoutingService } from './report-routing.service';
import { ReportStore } from './report-store';
import { ReportViewsService } from './report-views.service';
import { ReportEventPublisher } from './report-event.publisher';
import {
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  OutsideCityError,
  ReopenWindowClosedError,
  ReportNotFoundError,
  UnknownCategoryError,
} from './report.errors';
import {
  type IdempotencyClaim,
  type PhotoKind,
  type ReportFilter,
  ReportsRepository,
} from './reports.repository';
import { ReportsPolicy } from './reports.policy';
import { type NewReport, ReportsService } from './reports.service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-03-02T03:00:00.000Z');

class FakeClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  now(): Date {
    return new Date(this.at);
  }
}

class SequentialIds extends IdGenerator {
  private n = 0;
  reportId(): string {
    this.n += 1;
    return `00000000-0000-4000-8000-${String(this.n).padStart(12, '0')}`;
  }
  trackingCode(): string {
    return `CODE-${this.n}`;
  }
  secret(): string {
    return `secret-of-${this.n}`;
  }
}

// The fakes ignore the transaction handle: there is no database in a unit spec.
const TX = {} as Tx;

class ImmediateUnitOfWork extends UnitOfWork {
  /** How each unit of work ran: in a transaction, or statement by statement. */
  readonly modes: ('run' | 'autocommit')[] = [];
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    this.modes.push('run');
    return work(TX);
  }
  override autocommit<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    this.modes.push('autocommit');
    return work(TX);
  }
}

class RecordingPublisher extends ReportEventPublisher {
  readonly published: IocEvent[] = [];
  private readonly outbox = new Outbox();
  async publish(_tx: Tx, events: readonly IocEvent[]): Promise<void> {
    this.published.push(...events);
  }
  // The real rows (checked and encoded); InMemoryReports records them as published when it inserts them.
  rows(events: readonly IocEvent[]): OutboxRows {
    return this.outbox.rows('ioc.reports.events.unit', events);
  }
}

class InMemoryReports extends ReportsRepository {
  readonly rows = new Map<string, ReportState>();
  readonly lines: TimelineEntry[] = [];
  readonly keys = new Map<string, { requestHash: Buffer; response: unknown }>();

  constructor(private readonly publisher: RecordingPublisher) {
    super();
  }

  override async insert(
    _tx: Tx,
    report: Report,
    timeline: readonly TimelineEntry[],
    outbox: OutboxRows,
  ): Promise<void> {
    this.rows.set(report.id, structuredClone(report.snapshot()));
    this.lines.push(...timeline);
    this.publisher.published.push(...outbox.events);
  }
  override async update(_tx: Tx, report: Report): Promise<void> {
    this.rows.set(report.id, structuredClone(report.snapshot()));
  }
  override async findById(_tx: Tx, id: string): Promise<Report | undefined> {
    const row = this.rows.get(id);
    return row && Report.restore(structuredClone(row));
  }
  override async findByTrackingCode(_tx: Tx, code: string): Promise<Report | undefined> {
    const row = [...this.rows.values()].find((report) => report.trackingCode === code);
    return row && Report.restore(structuredClone(row));
  }
  override async list(_tx: Tx, filter: ReportFilter): Promise<Report[]> {
    const items = [...this.rows.values()].filter(
      (r) =>
        (filter.agencyId === undefined || r.agencyId === filter.agencyId) &&
        (filter.statuses === undefined || filter.statuses.includes(r.status)),
    );
    return items.slice(0, filter.limit).map((row) => Report.restore(structuredClone(row)));
  }
  readonly photos = new Map<string, { contentType: string; bytes: Buffer }[]>();
  override async putPhotos(
    _tx: Tx,
    reportId: string,
    kind: PhotoKind,
    photos: readonly { contentType: string; bytes: Buffer }[],
  ): Promise<void> {
    this.photos.set(`${reportId}/${kind}`, [...photos]);
  }
  override async photo(_tx: Tx, reportId: string, kind: PhotoKind, position: number) {
    return this.photos.get(`${reportId}/${kind}`)?.[position];
  }
  override async countPhotos(_tx: Tx, reportId: string, kind: PhotoKind): Promise<number> {
    return this.photos.get(`${reportId}/${kind}`)?.length ?? 0;
  }
  override async countDuplicatesOf(_tx: Tx, reportId: string): Promise<number> {
    return [...this.rows.values()].filter((r) => r.duplicateOf === reportId).length;
  }
  override async openNear(_tx: Tx, query: { categoryCode: string; since: Date }): Promise<Report[]> {
    const rows = [...this.rows.values()].filter(
      (r) =>
        r.categoryCode === query.categoryCode &&
        r.duplicateOf === null &&
        OPEN_STATUSES.includes(r.status) &&
        r.submittedAt >= query.since,
    );
    return rows.map((row) => Report.restore(structuredClone(row)));
  }
  override async addTimeline(_tx: Tx, entries: readonly TimelineEntry[]): Promise<void> {
    this.lines.push(...entries);
  }
  override async timeline(_tx: Tx, reportId: string, publicOnly: boolean): Promise<TimelineEntry[]> {
    return this.lines.filter((line) => line.reportId === reportId && (!publicOnly || line.public));
  }
  override async claimIdempotencyKey(_tx: Tx, key: string, requestHash: Buffer): Promise<IdempotencyClaim> {
    const known = this.keys.get(key);
    if (known) return { state: 'replay', requestHash: known.requestHash, response: known.response };
    this.keys.set(key, { requestHash, response: null });
    return { state: 'claimed' };
  }
  override async storeIdempotentResponse(_tx: Tx, key: string, response: unknown): Promise<void> {
    const known = this.keys.get(key);
    if (known) known.response = structuredClone(response);
  }
}

class FixedSource extends ReferenceSource {
  constructor(private readonly snapshot: ReferenceSnapshot) {
    super();
  }
  async load(): Promise<ReferenceSnapshot> {
    return this.snapshot;
  }
}

const IN_WARD = { lat: 5, lon: 2 };
const OUTSIDE_WARD = { lat: 5, lon: 8 };
const reporter = { name: 'Lê Văn Riêng', phone: '0900000001', email: 'rieng@example.vn' };

const agency = (agencyId: string): Principal => ({
  subject: `u-${agencyId}`,
  roles: ['agency'],
  kind: 'user',
  agencyId,
});
const operator: Principal = { subject: 'op-1', roles: ['operator'], kind: 'user' };

describe(ReportsService.name, () => {
  let sut: ReportsService;
  let views: ReportViewsService;
  let photos: ReportPhotosService;
  let reports: InMemoryReports;
  let publisher: RecordingPublisher;
  let clock: FakeClock;
  let uow: ImmediateUnitOfWork;

  beforeEach(() => {
    publisher = new RecordingPublisher();
    reports = new InMemoryReports(publisher);
    clock = new FakeClock(NOW);
    uow = new ImmediateUnitOfWork();
    const catalog = new ReferenceCatalog(new FixedSource(aReportsTestCity()), 60_000);
    const policy = new ReportsPolicy(7 * DAY, 3 * DAY, DAY, 3);
    views = new ReportViewsService(uow, reports);
    photos = new ReportPhotosService(
      uow,
      reports,
      new PhotoSanitizer({ maxInputPixels: 1_000_000, maxEdgePixels: 1024 }),
      policy,
    );
    sut = new ReportsService(
      uow,
      reports,
      new ReportStore(reports, publisher),
      new ReportRoutingService(catalog, reports),
      catalog,
      views,
      photos,
      new IdempotencyService(reports, clock, policy),
      clock,
      new SequentialIds(),
      policy,
    );
  });

  const newReport = (overrides: Partial<NewReport> = {}): NewReport => ({
    channel: 'app',
    categoryCode: 'potholes',
    description: 'Deep pothole',
    location: IN_WARD,
    reporter,
    ...overrides,
  });

  it('routes a report to the agency of the ward containing the point, with deadlines from the category SLA', async () => {
    const receipt = await sut.submit(newReport());

    const stored = reports.rows.get(receipt.id);
    expect(stored).toMatchObject({
      status: 'assigned',
      agencyId: 'AG-W1',
      adminUnitCodes: ['C.W1', 'C'],
      ackDueAt: new Date(NOW.getTime() + HOUR),
      resolveDueAt: new Date(NOW.getTime() + DAY),
    });
    expect(publisher.published.map((e) => [e.type, (e.data as { status: string }).status])).toEqual([
      [EventTypes.reportSubmitted, 'submitted'],
      [EventTypes.reportAssigned, 'assigned'],
    ]);
  });

  it('runs a submission without key or photos, one statement, outside a transaction; with either, in one', async () => {
    await sut.submit(newReport());
    await sut.submit(newReport(), 'k-mode');
    await sut.submit(newReport(), undefined, [await aJpegWithExif()]);

    expect(uow.modes).toEqual(['autocommit', 'run', 'run']);
    expect(reports.rows.size).toBe(3);
    expect(publisher.published.filter((e) => e.type === EventTypes.reportSubmitted)).toHaveLength(3);
  });

  it('falls back to the city-wide rule outside the ward', async () => {
    const receipt = await sut.submit(newReport({ location: OUTSIDE_WARD }));
    expect(reports.rows.get(receipt.id)?.agencyId).toBe('AG-ROADS');
  });

  it('leaves a report no rule routes in the triage queue', async () => {
    const receipt = await sut.submit(newReport({ categoryCode: 'noise' }));
    expect(receipt.status).toBe('submitted');
    expect(publisher.published.map((e) => e.type)).toEqual([EventTypes.reportSubmitted]);
    const queue = await views.triage(operator, { limit: 10 });
    expect(queue.items.map((item) => item.id)).toEqual([receipt.id]);
  });

  it('refuses an unknown category and a point outside the city, registering nothing', async () => {
    await expect(sut.submit(newReport({ categoryCode: 'ufo' }))).rejects.toBeInstanceOf(UnknownCategoryError);
    await expect(sut.submit(newReport({ location: { lat: 20, lon: 20 } }))).rejects.toBeInstanceOf(
      OutsideCityError,
    );
    expect(reports.rows.size).toBe(0);
    expect(publisher.published).toEqual([]);
  });

  it('answers a retried Idempotency-Key with the first receipt and refuses the key for another request', async () => {
    const first = await sut.submit(newReport(), 'k-1');
    const again = await sut.submit(newReport(), 'k-1');
    expect(again).toEqual(first);
    expect(reports.rows.size).toBe(1);
    await expect(sut.submit(newReport({ description: 'other' }), 'k-1')).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
  });

  it('never puts the reporter, the description or the secret into an event', async () => {
    const receipt = await sut.submit(newReport());
    const agencyUser = agency('AG-W1');
    await sut.acknowledge(agencyUser, receipt.id);
    await sut.resolve(agencyUser, receipt.id, 'Filled');
    await sut.reopen(receipt.trackingCode, receipt.secret, 'Still there');
    const text = JSON.stringify(publisher.published);
    for (const value of [reporter.name, reporter.phone, reporter.email, 'Deep pothole', receipt.secret])
      expect(text).not.toContain(value);
  });

  it("hides another agency's report as not found and shows contact data only to the assigned agency", async () => {
    const receipt = await sut.submit(newReport());
    await expect(views.get(agency('AG-OTHER'), receipt.id)).rejects.toBeInstanceOf(ReportNotFoundError);
    await expect(sut.acknowledge(agency('AG-OTHER'), receipt.id)).rejects.toBeInstanceOf(ReportNotFoundError);
    expect((await views.get(agency('AG-W1'), receipt.id)).reporter).toEqual(reporter);
    expect((await views.get(operator, receipt.id)).reporter).toBeUndefined();
    expect((await views.list(agency('AG-OTHER'), { limit: 10 })).items).toEqual([]);
  });

  it('answers an invalid transition with the current status and changes nothing', async () => {
    const receipt = await sut.submit(newReport());
    const before = publisher.published.length;
    await expect(sut.resolve(agency('AG-W1'), receipt.id, 'Done')).rejects.toMatchObject({
      code: 'REPORT.INVALID_TRANSITION',
      details: { status: 'assigned', action: 'resolve' },
    });
    await expect(sut.confirm(receipt.trackingCode, receipt.secret)).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
    expect(publisher.published).toHaveLength(before);
    expect(reports.rows.get(receipt.id)?.status).toBe('assigned');
  });

  it('reopens within the window back to the routed agency with fresh deadlines, and not after it', async () => {
    const receipt = await sut.submit(newReport());
    const agencyUser = agency('AG-W1');
    await sut.acknowledge(agencyUser, receipt.id);
    await sut.resolve(agencyUser, receipt.id, 'Filled');
    clock.at = new Date(NOW.getTime() + 2 * DAY);
    const reopened = await sut.reopen(receipt.trackingCode, receipt.secret, 'Still there');
    expect(reopened.status).toBe('assigned');
    expect(reports.rows.get(receipt.id)).toMatchObject({
      agencyId: 'AG-W1',
      reopenCount: 1,
      ackDueAt: new Date(clock.at.getTime() + HOUR),
    });

    await sut.acknowledge(agencyUser, receipt.id);
    await sut.resolve(agencyUser, receipt.id, 'Filled again');
    clock.at = new Date(clock.at.getTime() + 4 * DAY);
    await expect(sut.reopen(receipt.trackingCode, receipt.secret, 'Again')).rejects.toBeInstanceOf(
      ReopenWindowClosedError,
    );
  });

  it('sends a declined report back to triage, out of the agency list', async () => {
    const receipt = await sut.submit(newReport());
    const declined = await sut.decline(agency('AG-W1'), receipt.id, 'Not ours');
    expect(declined).toMatchObject({ status: 'declined', agencyId: null });
    const event = publisher.published.at(-1);
    expect(event).toMatchObject({
      type: EventTypes.reportDeclined,
      data: { agencyId: 'AG-W1', reason: 'Not ours' },
    });
    await expect(views.get(agency('AG-W1'), receipt.id)).rejects.toBeInstanceOf(ReportNotFoundError);
    const assigned = await sut.assign(operator, receipt.id, 'AG-ROADS');
    expect(assigned).toMatchObject({ status: 'assigned', agencyId: 'AG-ROADS' });
    expect(publisher.published.at(-1)?.data).toMatchObject({ assignedBy: 'operator', agencyId: 'AG-ROADS' });
  });

  it('links a report near an open one of the same category as a likely duplicate, for the operator to decide', async () => {
    const original = await sut.submit(newReport());
    clock.at = new Date(NOW.getTime() + HOUR);
    // About 20 m away, within the category's 50 m and one day.
    const near = await sut.submit(newReport({ location: { lat: IN_WARD.lat + 0.00018, lon: IN_WARD.lon } }));
    expect(near.status).toBe('duplicate');
    expect(reports.rows.get(near.id)?.duplicateOf).toBe(original.id);
    expect(publisher.published.at(-1)).toMatchObject({
      type: EventTypes.reportDuplicateLinked,
      data: { duplicateOf: original.id, status: 'duplicate' },
    });
    expect((await views.triage(operator, { limit: 10 })).items.map((i) => i.id)).toContain(near.id);
    expect((await views.get(operator, original.id)).duplicateCount).toBe(1);

    const far = await sut.submit(newReport({ location: { lat: IN_WARD.lat + 0.01, lon: IN_WARD.lon } }));
    expect(far.status).toBe('assigned');
    clock.at = new Date(NOW.getTime() + 2 * DAY);
    const late = await sut.submit(newReport());
    expect(late.status).toBe('assigned');

    const dismissed = await sut.dismissDuplicate(operator, near.id);
    expect(dismissed).toMatchObject({ status: 'assigned', agencyId: 'AG-W1', duplicateOf: null });
    await expect(sut.confirmDuplicate(operator, near.id)).rejects.toBeInstanceOf(InvalidTransitionError);
  });

  it('rejects a confirmed duplicate', async () => {
    await sut.submit(newReport());
    const near = await sut.submit(newReport());
    const confirmed = await sut.confirmDuplicate(operator, near.id);
    expect(confirmed.status).toBe('rejected');
    expect(publisher.published.at(-1)?.type).toBe(EventTypes.reportRejected);
  });

  it('keeps the answer photos public with the answer, stripped, and replaces them with a new answer', async () => {
    const receipt = await sut.submit(newReport());
    const agencyUser = agency('AG-W1');
    await sut.acknowledge(agencyUser, receipt.id);
    await expect(photos.answerPhoto(receipt.trackingCode, 0)).rejects.toBeInstanceOf(ReportNotFoundError);
    await sut.resolve(agencyUser, receipt.id, 'Filled', [await aJpegWithExif(), await aJpegWithExif()]);
    expect((await views.track(receipt.trackingCode)).answerPhotoCount).toBe(2);
    const photo = await photos.answerPhoto(receipt.trackingCode, 1);
    expect(photo.contentType).toBe('image/jpeg');
    expect(photo.bytes.toString('latin1')).not.toContain('GPSLatitude');

    await sut.reopen(receipt.trackingCode, receipt.secret, 'Still there');
    expect((await views.track(receipt.trackingCode)).answerPhotoCount).toBe(0);
    await sut.acknowledge(agencyUser, receipt.id);
    await sut.resolve(agencyUser, receipt.id, 'Filled properly');
    expect((await views.track(receipt.trackingCode)).answerPhotoCount).toBe(0);
    await expect(sut.resolve(agencyUser, receipt.id, 'x', [Buffer.from('<svg/>')])).rejects.toMatchObject({
      code: 'REPORT.INVALID_PHOTO',
    });
  });
});
