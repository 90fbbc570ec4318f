import { DETECTION_CLASSES, type DetectionClass, type ReportChannel } from '@ioc/contracts';
import type { AdminUnit, Camera, GeoPoint } from '@ioc/reference-data';
import type { Action, AgencyAction, EventPath, SubmitReport } from './actions';
import type { CategoryModel, CityModel } from './city-model';
import {
  CITIZEN_REPORTS_CURVE,
  type DailyCurve,
  DAY_MS,
  dayOf,
  HOUR_MS,
  TRAFFIC_LOAD_CURVE,
} from './daily-curve';
import { fakeReporter, SIMULATED_TAG } from './fake-people';
import { Prng } from './prng';
import { EMPTY_PROFILE, type SimulationProfile, type SituationKind } from './simulation-profile';

const MINUTE_MS = 60_000;

/** How citizens reach the city: REST (app, web), Open311 clients, and the channels that arrive over Kafka. */
export interface ChannelMix {
  readonly app: number;
  readonly web: number;
  readonly open311: number;
  readonly hotline: number;
  readonly zalo: number;
  readonly 'national-portal': number;
}

/** Every knob of a scenario; {@link defaultScenarioSettings} gives a realistic day of a mid-sized city. */
export interface ScenarioSettings {
  readonly seed: number;
  /** Scenario time the run starts at (ms since midnight of day 0); nothing earlier is generated. */
  readonly startAt: number;
  /** Volume multiplier of citizen reports, channel submissions and background detections. */
  readonly rate: number;
  readonly reportsPerDay: number;
  readonly reportCurve: DailyCurve;
  readonly trafficCurve: DailyCurve;
  readonly channelMix: ChannelMix;
  /** Share of REST reports that repeat a recent one (same category, a few metres away, shortly after). */
  readonly duplicateShare: number;
  /** Share of app reports sent as multipart with photos. */
  readonly photoShare: number;
  /** Share of routed reports the agency never touches during the run (their SLA breaches). */
  readonly ignoredShare: number;
  /** Share of routed reports the agency declines (back to triage). */
  readonly declineShare: number;
  /** Share of handled reports acknowledged or resolved after the category's SLA. */
  readonly lateShare: number;
  /** Share of resolved reports the citizen reopens. */
  readonly reopenShare: number;
  /** Share of resolved (not reopened) reports the citizen confirms. */
  readonly confirmShare: number;
  /** Share of confirmed reports the citizen rates. */
  readonly ratingShare: number;
  /** Background detections per camera and hour, all below the confidence floor. */
  readonly noisePerCameraHour: number;
  /** Highest confidence of background noise: keep it under intake's confidence floor. */
  readonly noiseConfidenceMax: number;
  readonly heartbeatIntervalMs: number;
  readonly trafficIntervalMs: number;
  /** Times a camera drops out per day, on average. */
  readonly dropoutsPerCameraDay: number;
  readonly accidentsPerDay: number;
  /** Chance that it rains hard enough to flood streets on a given day. */
  readonly rainChancePerDay: number;
  /** Share of junction cameras that see a jam in each rush hour. */
  readonly rushHourJamShare: number;
  /** Share of integrator events sent over intake's HTTP ingest (the rest go straight to Kafka). */
  readonly httpShare: number;
  /** What the city's `simulation.json` adds: KPI figures, situations' report categories, category weights. */
  readonly profile: SimulationProfile;
}

export function defaultScenarioSettings(overrides: Partial<ScenarioSettings> = {}): ScenarioSettings {
  return {
    seed: 1,
    startAt: 6 * HOUR_MS,
    rate: 1,
    reportsPerDay: 400,
    reportCurve: CITIZEN_REPORTS_CURVE,
    trafficCurve: TRAFFIC_LOAD_CURVE,
    channelMix: { app: 0.4, web: 0.1, open311: 0.1, hotline: 0.15, zalo: 0.17, 'national-portal': 0.08 },
    duplicateShare: 0.08,
    photoShare: 0.15,
    ignoredShare: 0.05,
    declineShare: 0.05,
    lateShare: 0.15,
    reopenShare: 0.08,
    confirmShare: 0.55,
    ratingShare: 0.7,
    noisePerCameraHour: 4,
    noiseConfidenceMax: 0.45,
    heartbeatIntervalMs: MINUTE_MS,
    trafficIntervalMs: 5 * MINUTE_MS,
    dropoutsPerCameraDay: 0.2,
    accidentsPerDay: 3,
    rainChancePerDay: 0.4,
    rushHourJamShare: 0.2,
    httpShare: 0.5,
    profile: EMPTY_PROFILE,
    ...overrides,
  };
}

/** Rush hours (scenario hours of day) in which junctions jam. */
const RUSH_HOURS: readonly { from: number; to: number }[] = [
  { from: 7, to: 8.5 },
  { from: 17, to: 18.5 },
];
const RATINGS = [
  { value: 5, weight: 0.45 },
  { value: 4, weight: 0.3 },
  { value: 3, weight: 0.12 },
  { value: 2, weight: 0.06 },
  { value: 1, weight: 0.07 },
];

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly action?: Action;
  readonly fire?: () => void;
}

interface RecentReport {
  readonly ref: string;
  readonly at: number;
  readonly category: CategoryModel;
  readonly location: GeoPoint;
  readonly addressText: string;
}

/** How long after a report a citizen's repeat of it is generated, and how many recent reports are remembered. */
const DUPLICATE_WINDOW_MS = 6 * HOUR_MS;
const RECENT_LIMIT = 200;

interface Impairment {
  readonly from: number;
  readonly to: number;
  /** Speed as a share of free flow while it lasts. */
  readonly ratio: number;
}

/**
 * The simulated city as a pure, deterministic stream of timed actions: given a seed, the city's data and a start
 * time, `next()` yields the same actions in the same order on every run. A discrete-event simulation: sources
 * (report arrivals, heartbeats, traffic sampling, the daily plan of situations) sit in a time-ordered queue and,
 * when their time comes, schedule actions and their own next occurrence; actions about a report (an agency
 * acknowledging it, the citizen rating the answer) are scheduled when the report is. Nothing here performs I/O
 * or reads a clock: the drivers perform the actions, and whatever the services answer does not change the stream.
 */
export class Scenario {
  private readonly queue: Scheduled[] = [];
  private seq = 0;
  private reportSerial = 0;
  private readonly recent: RecentReport[] = [];
  private readonly dropouts = new Map<string, { from: number; to: number }[]>();
  private readonly impairments = new Map<string, Impairment[]>();
  private readonly segmentFactor = new Map<string, number>();
  private readonly degraded = new Set<string>();
  // One stream per concern, so that changing one knob (the heartbeat interval) leaves the others' draws alone.
  private readonly reportsPrng: Prng;
  private readonly noisePrng: Prng;
  private readonly situationsPrng: Prng;
  private readonly telemetryPrng: Prng;
  private readonly pathPrng: Prng;

  constructor(
    private readonly city: CityModel,
    readonly settings: ScenarioSettings,
  ) {
    const root = new Prng(settings.seed);
    this.reportsPrng = root.fork();
    this.noisePrng = root.fork();
    this.situationsPrng = root.fork();
    this.telemetryPrng = root.fork();
    this.pathPrng = root.fork();
    for (const segment of city.segments) this.segmentFactor.set(segment.id, root.between(0.8, 1.2));
    const start = settings.startAt;
    this.schedule(start, () => this.planDay(dayOf(start)));
    this.scheduleReportArrival(start);
    if (city.cameras.length > 0) {
      this.scheduleNoise(start);
      this.schedule(alignUp(start, settings.heartbeatIntervalMs), () => this.heartbeatTick());
    }
    if (city.segments.length > 0)
      this.schedule(alignUp(start, settings.trafficIntervalMs), () => this.trafficTick());
  }

  /** The next action, in time order (ties in the order they were scheduled). */
  next(): Action {
    for (;;) {
      const item = this.pop();
      if (item.action) return item.action;
      item.fire?.();
    }
  }

  /** Every action before scenario time `end`. */
  *until(end: number): Generator<Action> {
    while (this.peekTime() < end) yield this.next();
  }

  /** When the next queued item is due (an action or a source). */
  peekTime(): number {
    return this.queue.length === 0 ? Infinity : this.queue[0].at;
  }

  // --- the daily plan: situations on the street, camera dropouts, the portal's figures -------------------

  private planDay(day: number): void {
    const dayStart = day * DAY_MS;
    const prng = this.situationsPrng;
    this.schedule(dayStart + DAY_MS, () => this.planDay(day + 1));
    const from = Math.max(dayStart, this.settings.startAt);
    const later = (at: number) => at >= from;

    for (const camera of this.city.cameras) {
      const count = prng.poisson(this.settings.dropoutsPerCameraDay);
      for (let i = 0; i < count; i++) {
        const start = dayStart + prng.between(0, DAY_MS);
        const windows = this.dropouts.get(camera.id) ?? [];
        windows.push({ from: start, to: start + prng.between(20 * MINUTE_MS, 4 * HOUR_MS) });
        this.dropouts.set(
          camera.id,
          windows.filter((w) => w.to > from),
        );
      }
      if (prng.chance(0.03)) this.degraded.add(camera.id);
      else this.degraded.delete(camera.id);
    }

    if (prng.chance(this.settings.rainChancePerDay)) this.planRain(dayStart, later);
    this.planRushHours(dayStart, later);
    const accidents = prng.poisson(this.settings.accidentsPerDay);
    for (let i = 0; i < accidents; i++) this.planAccident(dayStart, later);
    this.planKpiObservations(day, later);
  }

  private planRain(dayStart: number, later: (at: number) => boolean): void {
    const prng = this.situationsPrng;
    const start = dayStart + prng.between(13, 19) * HOUR_MS;
    const end = start + prng.between(1, 3) * HOUR_MS;
    const units = this.city.leafUnits.filter(() => prng.chance(0.4));
    if (units.length === 0) units.push(prng.pick(this.city.leafUnits));
    const codes = new Set(units.map((unit) => unit.code));
    for (const camera of this.city.camerasIn(codes)) {
      const floodFrom = start + prng.between(20, 60) * MINUTE_MS;
      const floodTo = end + prng.between(30, 120) * MINUTE_MS;
      this.burst(camera, 'flooding', floodFrom, floodTo, 45_000, [0.6, 0.95], 'rain', later);
    }
    for (const segment of this.city.segmentsIn(codes)) {
      this.impair(segment.id, {
        from: start + 30 * MINUTE_MS,
        to: end + HOUR_MS,
        ratio: prng.between(0.25, 0.4),
      });
    }
    this.situationReports('flooding', start + 20 * MINUTE_MS, end + 2 * HOUR_MS, units, units.length, later);
  }

  private planRushHours(dayStart: number, later: (at: number) => boolean): void {
    const prng = this.situationsPrng;
    const junctions = this.city.cameras.filter((camera) => camera.kind === 'traffic-junction');
    const candidates = junctions.length > 0 ? junctions : this.city.cameras;
    for (const rush of RUSH_HOURS) {
      for (const camera of candidates) {
        if (!prng.chance(this.settings.rushHourJamShare)) continue;
        const from = dayStart + rush.from * HOUR_MS + prng.between(0, 45) * MINUTE_MS;
        const to = from + prng.between(20, 60) * MINUTE_MS;
        this.burst(camera, 'congestion', from, to, 40_000, [0.55, 0.9], 'rush-hour-jam', later);
        const segment = this.city.segmentOfCamera(camera.id);
        if (segment) this.impair(segment.id, { from, to, ratio: prng.between(0.1, 0.18) });
        if (prng.chance(0.3)) this.situationReports('congestion', from, to, [], 1, later);
      }
    }
  }

  private planAccident(dayStart: number, later: (at: number) => boolean): void {
    const prng = this.situationsPrng;
    const curve = this.settings.trafficCurve;
    let at = dayStart + prng.between(0, DAY_MS);
    for (let attempt = 0; attempt < 100 && !prng.chance(curve.at(at) / curve.max); attempt++)
      at = dayStart + prng.between(0, DAY_MS);
    const junctions = this.city.cameras.filter((camera) => camera.kind === 'traffic-junction');
    if (this.city.cameras.length === 0) return;
    const camera = prng.pick(junctions.length > 0 ? junctions : this.city.cameras);
    const to = at + prng.between(10, 30) * MINUTE_MS;
    this.burst(camera, 'accident', at, to, 30_000, [0.7, 0.98], 'accident', later);
    const segment = this.city.segmentOfCamera(camera.id);
    if (segment)
      this.impair(segment.id, { from: at, to: to + 15 * MINUTE_MS, ratio: prng.between(0.08, 0.15) });
    const unit = this.city.leafUnits.find((u) => u.code === camera.adminUnitCode);
    this.situationReports('accident', at, to + HOUR_MS, unit ? [unit] : [], 1, later);
  }

  private planKpiObservations(day: number, later: (at: number) => boolean): void {
    const spec = this.settings.profile.kpiObservations;
    if (!spec) return;
    const prng = this.situationsPrng;
    const [hours, minutes] = spec.localTime.split(':').map(Number);
    for (const series of spec.series) {
      const at = day * DAY_MS + hours * HOUR_MS + minutes * MINUTE_MS + prng.between(0, 10) * MINUTE_MS;
      let value = series.start + series.dailyChange * day + series.noise * prng.normal();
      if (series.min !== undefined) value = Math.max(series.min, value);
      if (series.max !== undefined) value = Math.min(series.max, value);
      value = series.integer ? Math.round(value) : Math.round(value * 100) / 100;
      const via = this.path();
      if (!later(at)) continue;
      this.emit({
        kind: 'kpi.observation',
        at,
        via,
        kpiCode: series.kpiCode,
        value,
        ...(series.unit === undefined ? {} : { unit: series.unit }),
        source: spec.source,
      });
    }
  }

  /** Detections of one camera every `gapMs` on average over [from, to). */
  private burst(
    camera: Camera,
    detectionClass: DetectionClass,
    from: number,
    to: number,
    gapMs: number,
    [minConfidence, maxConfidence]: readonly [number, number],
    situation: string,
    later: (at: number) => boolean,
  ): void {
    const step = (at: number): void => {
      if (at >= to) return;
      const prng = this.situationsPrng;
      if (later(at) && !this.isDroppedOut(camera.id, at)) {
        this.emit({
          kind: 'camera.detection',
          at,
          via: this.path(),
          cameraId: camera.id,
          class: detectionClass,
          confidence: round3(prng.between(minConfidence, maxConfidence)),
          situation,
        });
      }
      const next = at + Math.max(1_000, prng.exponential(gapMs));
      this.schedule(next, () => step(next));
    };
    this.schedule(from, () => step(from));
  }

  private impair(segmentId: string, impairment: Impairment): void {
    const list = this.impairments.get(segmentId) ?? [];
    list.push(impairment);
    this.impairments.set(segmentId, list);
  }

  /** Citizens reporting what they see of a situation, in its categories (from the city's simulation profile). */
  private situationReports(
    kind: SituationKind,
    from: number,
    to: number,
    units: readonly AdminUnit[],
    occurrences: number,
    later: (at: number) => boolean,
  ): void {
    const spec = this.settings.profile.situations[kind];
    if (!spec || spec.categories.length === 0) return;
    const prng = this.situationsPrng;
    const count = prng.poisson(spec.reportsPerOccurrence * occurrences * this.settings.rate);
    for (let i = 0; i < count; i++) {
      const at = prng.between(from, to);
      const code = prng.pick(spec.categories);
      if (!later(at)) continue;
      this.schedule(at, () => this.makeReport(at, { categoryCode: code, units }));
    }
  }

  // --- citizen reports --------------------------------------------------------------------------------------

  private scheduleReportArrival(from: number): void {
    const { reportsPerDay, rate, reportCurve } = this.settings;
    const peakPerMs = ((reportsPerDay * rate) / DAY_MS) * (reportCurve.max / reportCurve.mean);
    if (!(peakPerMs > 0)) return;
    // Thinning (Lewis–Shedler): candidates at the peak rate, each kept with the curve's share of the peak.
    const at = from + this.reportsPrng.exponential(1 / peakPerMs);
    this.schedule(at, () => {
      if (this.reportsPrng.chance(reportCurve.at(at) / reportCurve.max)) this.makeReport(at, {});
      this.scheduleReportArrival(at);
    });
  }

  private makeReport(at: number, forced: { categoryCode?: string; units?: readonly AdminUnit[] }): void {
    const prng = this.reportsPrng;
    const { channelMix } = this.settings;
    const channel = prng.weighted(Object.keys(channelMix) as (keyof ChannelMix)[], (key) => channelMix[key]);
    const ref = `r${++this.reportSerial}`;
    const forceCategory = forced.categoryCode !== undefined;
    const fresh = this.recent.findIndex((report) => report.at > at - DUPLICATE_WINDOW_MS);
    this.recent.splice(
      0,
      fresh < 0 ? this.recent.length : Math.max(fresh, this.recent.length - RECENT_LIMIT),
    );
    const original =
      (channel === 'app' || channel === 'web') &&
      !forceCategory &&
      this.recent.length > 0 &&
      prng.chance(this.settings.duplicateShare)
        ? prng.pick(this.recent)
        : undefined;
    const category =
      original?.category ??
      (forceCategory
        ? this.city.category(forced.categoryCode as string)
        : prng.weighted(this.city.categories, (c) => this.settings.profile.categoryWeights[c.code] ?? 1));
    if (!category) return;
    const place = original
      ? {
          location: this.city.nearby(
            prng,
            original.location,
            Math.min(10, category.duplicateRadiusMetres / 3),
          ),
          addressText: original.addressText,
        }
      : this.city.randomPlace(prng, forced.units);
    const location = place.location;
    const description = `${SIMULATED_TAG} ${category.nameVi} — ${place.addressText}`;
    const reporter = fakeReporter(prng, prng.chance(0.3));

    if (channel !== 'app' && channel !== 'web' && channel !== 'open311') {
      this.emit({
        kind: 'report.channel',
        at,
        ref,
        channel: channel as ReportChannel,
        externalId: `${channel}-${prng.hex(12)}`,
        categoryCode: category.code,
        description,
        location,
        addressText: place.addressText,
        reporter,
      });
      return;
    }
    const via = channel === 'open311' ? 'open311' : 'rest';
    const agencyId = this.city.agencyFor(category.code, location);
    const report: SubmitReport = {
      kind: 'report.submit',
      at,
      ref,
      via,
      channel: channel === 'web' ? 'web' : 'app',
      categoryCode: category.code,
      description,
      location,
      addressText: place.addressText,
      reporter,
      photos: via === 'rest' && prng.chance(this.settings.photoShare) ? prng.int(1, 2) : 0,
      ...(original ? { duplicateOf: original.ref } : {}),
      ...(agencyId === undefined ? {} : { agencyId }),
    };
    this.emit(report);
    if (original) return;
    this.recent.push({ ref, at, category, location, addressText: place.addressText });
    if (agencyId !== undefined) this.agencyHandles(report, category, agencyId, at, via === 'rest', true);
  }

  /** The agency's work on a report assigned at `assignedAt`, and the citizen's answer to it. */
  private agencyHandles(
    report: SubmitReport,
    category: CategoryModel,
    agencyId: string,
    assignedAt: number,
    citizenCanAnswer: boolean,
    mayReopen: boolean,
  ): void {
    const prng = this.reportsPrng;
    if (prng.chance(this.settings.ignoredShare)) return;
    const ref = report.ref;
    const act = (kind: AgencyAction['kind'], at: number, late: boolean, text?: string) =>
      this.emit({ kind, at, ref, agencyId, late, ...(text === undefined ? {} : { text }) });
    if (prng.chance(this.settings.declineShare)) {
      act(
        'agency.decline',
        assignedAt + category.ackWithinMs * prng.between(0.1, 0.8),
        false,
        `${SIMULATED_TAG} Không thuộc thẩm quyền`,
      );
      return;
    }
    const late = prng.chance(this.settings.lateShare);
    const lateAck = late && prng.chance(0.4);
    const lateResolve = late && !lateAck;
    const ackAt =
      assignedAt + category.ackWithinMs * (lateAck ? prng.between(1.1, 2.5) : prng.between(0.05, 0.7));
    const startAt = ackAt + Math.min(category.ackWithinMs, 2 * HOUR_MS) * prng.between(0.05, 0.5);
    const resolveAt = Math.max(
      startAt + 5 * MINUTE_MS,
      assignedAt +
        category.resolveWithinMs * (lateResolve ? prng.between(1.05, 1.8) : prng.between(0.1, 0.85)),
    );
    act('agency.acknowledge', ackAt, lateAck);
    act('agency.start', startAt, lateAck);
    act(
      'agency.resolve',
      resolveAt,
      resolveAt > assignedAt + category.resolveWithinMs,
      `${SIMULATED_TAG} Đã xử lý xong`,
    );
    if (!citizenCanAnswer) return;
    if (mayReopen && prng.chance(this.settings.reopenShare)) {
      const reopenAt = resolveAt + prng.between(1, 48) * HOUR_MS;
      this.emit({
        kind: 'citizen.reopen',
        at: reopenAt,
        ref,
        text: `${SIMULATED_TAG} Vẫn chưa được khắc phục`,
      });
      this.agencyHandles(report, category, agencyId, reopenAt, true, false);
      return;
    }
    if (!prng.chance(this.settings.confirmShare)) return;
    const confirmAt = resolveAt + prng.between(10 * MINUTE_MS, 24 * HOUR_MS);
    this.emit({ kind: 'citizen.confirm', at: confirmAt, ref });
    if (prng.chance(this.settings.ratingShare)) {
      const rating = prng.weighted(RATINGS, (r) => r.weight).value;
      this.emit({ kind: 'citizen.rate', at: confirmAt + prng.between(1, 30) * MINUTE_MS, ref, rating });
    }
  }

  // --- cameras and traffic ---------------------------------------------------------------------------------

  private scheduleNoise(from: number): void {
    const perMs =
      (this.city.cameras.length * this.settings.noisePerCameraHour * this.settings.rate) / HOUR_MS;
    if (!(perMs > 0)) return;
    const prng = this.noisePrng;
    const at = from + prng.exponential(1 / perMs);
    this.schedule(at, () => {
      const camera = prng.pick(this.city.cameras);
      const detectionClass = prng.pick(DETECTION_CLASSES);
      const confidence = round3(prng.between(0.05, this.settings.noiseConfidenceMax));
      if (!this.isDroppedOut(camera.id, at))
        this.emit({
          kind: 'camera.detection',
          at,
          via: this.path(),
          cameraId: camera.id,
          class: detectionClass,
          confidence,
          situation: 'noise',
        });
      this.scheduleNoise(at);
    });
  }

  private heartbeatTick(): void {
    const at = this.queueTime;
    const prng = this.telemetryPrng;
    const beats = this.city.cameras
      .filter((camera) => !this.isDroppedOut(camera.id, at))
      .map((camera) => {
        const degraded = this.degraded.has(camera.id);
        return {
          cameraId: camera.id,
          status: degraded ? ('degraded' as const) : ('ok' as const),
          fps: degraded ? prng.int(2, 8) : prng.int(20, 25),
        };
      });
    if (beats.length > 0) this.emit({ kind: 'camera.heartbeats', at, via: this.path(), beats });
    this.schedule(at + this.settings.heartbeatIntervalMs, () => this.heartbeatTick());
  }

  private trafficTick(): void {
    const at = this.queueTime;
    const prng = this.telemetryPrng;
    const load = this.settings.trafficCurve.at(at);
    const observations = this.city.segments.map((segment) => {
      const factor = this.segmentFactor.get(segment.id) ?? 1;
      const impaired = (this.impairments.get(segment.id) ?? []).filter((i) => i.from <= at && at < i.to);
      const ratio = Math.min(1 - 0.5 * Math.min(1, load * factor), ...impaired.map((i) => i.ratio));
      const speed = clamp(
        segment.freeFlowKmh * ratio * (1 + 0.06 * prng.normal()),
        2,
        segment.freeFlowKmh * 1.15,
      );
      const jammed = impaired.length > 0;
      const volume = clamp(
        (150 + 1700 * load * factor) * (jammed ? 0.45 : 1) * (1 + 0.1 * prng.normal()),
        0,
        5000,
      );
      const occupancy = clamp(3 + 85 * (1 - speed / segment.freeFlowKmh) * (0.6 + 0.4 * load), 0, 100);
      return {
        segmentId: segment.id,
        speedKmh: round1(speed),
        volumeVehPerHour: Math.round(volume),
        occupancyPct: round1(occupancy),
      };
    });
    this.emit({ kind: 'traffic.observations', at, via: this.path(), observations });
    for (const [id, list] of this.impairments) {
      const live = list.filter((i) => i.to > at);
      if (live.length === 0) this.impairments.delete(id);
      else this.impairments.set(id, live);
    }
    this.schedule(at + this.settings.trafficIntervalMs, () => this.trafficTick());
  }

  private isDroppedOut(cameraId: string, at: number): boolean {
    return (this.dropouts.get(cameraId) ?? []).some((window) => window.from <= at && at < window.to);
  }

  private path(): EventPath {
    return this.pathPrng.chance(this.settings.httpShare) ? 'http' : 'kafka';
  }

  // --- the queue: a binary heap ordered by (at, seq) -------------------------------------------------------

  /** The time of the item being fired. */
  private queueTime = 0;

  private emit(action: Action): void {
    this.push({ at: action.at, seq: this.seq++, action });
  }

  private schedule(at: number, fire: () => void): void {
    this.push({ at, seq: this.seq++, fire });
  }

  private push(item: Scheduled): void {
    const heap = this.queue;
    heap.push(item);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): Scheduled {
    const heap = this.queue;
    const top = heap[0];
    const last = heap.pop() as Scheduled;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
        if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    this.queueTime = top.at;
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function alignUp(t: number, step: number): number {
  return Math.ceil(t / step) * step;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
