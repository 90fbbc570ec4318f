import path from 'node:path';
import { readFileSync } from 'node:fs';
import { type CityData, loadCityData } from '@ioc/reference-data';
import type { Action, AgencyAction, CameraDetection, SubmitReport } from './actions';
import { CityModel, distanceMetres } from './city-model';
import { DAY_MS, HOUR_MS, hourOfDay } from './daily-curve';
import { FAKE_PHONE_PREFIX, SIMULATED_TAG } from './fake-people';
import { defaultScenarioSettings, Scenario, type ScenarioSettings } from './scenario';
import { EMPTY_PROFILE, parseSimulationProfile, type SimulationProfile } from './simulation-profile';

const CITY_DIR = path.resolve(__dirname, '../../../../data/cities/hai-phong');
const AT = new Date('2025-09-01T00:00:00Z');

let data: CityData;
let city: CityModel;
let profile: SimulationProfile;

beforeAll(async () => {
  data = await loadCityData(CITY_DIR);
  city = new CityModel(data, AT);
  profile = parseSimulationProfile(readFileSync(path.join(CITY_DIR, 'simulation.json'), 'utf8'), data);
});

function run(overrides: Partial<ScenarioSettings>, until: number): Action[] {
  const sut = new Scenario(city, defaultScenarioSettings({ profile, ...overrides }));
  return [...sut.until(until)];
}

const ofKind = <K extends Action['kind']>(actions: readonly Action[], kind: K) =>
  actions.filter((action): action is Action & { kind: K } => action.kind === kind);

describe(Scenario.name, () => {
  describe('determinism', () => {
    it('yields the same actions in the same order for the same seed', () => {
      const end = DAY_MS + 6 * HOUR_MS;
      expect(run({ seed: 7 }, end)).toEqual(run({ seed: 7 }, end));
    });

    it('yields another day for another seed', () => {
      const end = 12 * HOUR_MS;
      const reports = (seed: number) => ofKind(run({ seed }, end), 'report.submit').map((r) => r.location);
      expect(reports(7)).not.toEqual(reports(8));
    });

    it('keeps the citizens’ stream when only the telemetry knobs change', () => {
      const end = 14 * HOUR_MS;
      const citizens = (interval: number) =>
        run({ seed: 3, heartbeatIntervalMs: interval }, end).filter((a) => a.kind === 'report.submit');
      expect(citizens(60_000)).toEqual(citizens(30_000));
    });

    it('emits actions in time order, none before the start', () => {
      const actions = run({ seed: 11, startAt: 5 * HOUR_MS }, 2 * DAY_MS);
      expect(actions.length).toBeGreaterThan(1000);
      expect(actions[0].at).toBeGreaterThanOrEqual(5 * HOUR_MS);
      for (let i = 1; i < actions.length; i++)
        expect(actions[i].at).toBeGreaterThanOrEqual(actions[i - 1].at);
    });
  });

  describe('citizen reports', () => {
    const days = 6;
    let actions: Action[];
    let submitted: (SubmitReport | Extract<Action, { kind: 'report.channel' }>)[];

    beforeAll(() => {
      actions = run(
        { seed: 5, startAt: 0, profile: EMPTY_PROFILE, rainChancePerDay: 0, heartbeatIntervalMs: DAY_MS },
        days * DAY_MS,
      );
      submitted = actions.filter(
        (a): a is SubmitReport | Extract<Action, { kind: 'report.channel' }> =>
          a.kind === 'report.submit' || a.kind === 'report.channel',
      );
    });

    it('come at the configured rate, within 5%', () => {
      expect(submitted.length / days).toBeGreaterThan(400 * 0.95);
      expect(submitted.length / days).toBeLessThan(400 * 1.05);
    });

    it('scale with the rate multiplier', () => {
      const doubled = run({ seed: 5, startAt: 0, profile: EMPTY_PROFILE, rate: 2 }, 2 * DAY_MS).filter(
        (a) => a.kind === 'report.submit' || a.kind === 'report.channel',
      ).length;
      expect(doubled / 2).toBeGreaterThan(800 * 0.93);
      expect(doubled / 2).toBeLessThan(800 * 1.07);
    });

    it('follow the daily curve: few at night, peaks in the morning and the evening', () => {
      const perHour = new Array<number>(24).fill(0);
      for (const report of submitted) perHour[Math.floor(hourOfDay(report.at))]++;
      const night = perHour[2] + perHour[3];
      const morning = perHour[8] + perHour[9];
      const evening = perHour[19] + perHour[20];
      const midday = perHour[12] + perHour[13];
      expect(morning).toBeGreaterThan(8 * night);
      expect(evening).toBeGreaterThan(8 * night);
      expect(morning).toBeGreaterThan(midday);
      expect(evening).toBeGreaterThan(midday);
    });

    it('arrive over REST, Open311 and the other channels in the configured mix', () => {
      const share = (match: (a: Action) => boolean) => submitted.filter(match).length / submitted.length;
      expect(share((a) => a.kind === 'report.submit' && a.via === 'open311')).toBeCloseTo(0.1, 1);
      expect(share((a) => a.kind === 'report.channel' && a.channel === 'hotline')).toBeCloseTo(0.15, 1);
      expect(share((a) => a.kind === 'report.channel' && a.channel === 'zalo')).toBeCloseTo(0.17, 1);
      expect(share((a) => a.kind === 'report.submit' && a.via === 'rest')).toBeCloseTo(0.5, 1);
    });

    it('repeat a recent report in the configured share: same category, a few metres away, shortly after', () => {
      const rest = ofKind(actions, 'report.submit').filter((r) => r.via === 'rest');
      const repeats = rest.filter((r) => r.duplicateOf !== undefined);
      expect(repeats.length / rest.length).toBeGreaterThan(0.05);
      expect(repeats.length / rest.length).toBeLessThan(0.11);
      const byRef = new Map(ofKind(actions, 'report.submit').map((r) => [r.ref, r]));
      for (const repeat of repeats) {
        const original = byRef.get(repeat.duplicateOf as string) as SubmitReport;
        expect(repeat.categoryCode).toBe(original.categoryCode);
        expect(distanceMetres(repeat.location, original.location)).toBeLessThanOrEqual(11);
        expect(repeat.at - original.at).toBeLessThanOrEqual(6 * HOUR_MS);
        expect(actions.some((a) => a.kind.startsWith('agency.') && 'ref' in a && a.ref === repeat.ref)).toBe(
          false,
        );
      }
    });

    it('lie inside the city’s units and are handled by the agency its routing rules name', () => {
      for (const report of ofKind(actions, 'report.submit').slice(0, 200)) {
        expect(city.deepestUnit(report.location)).toBeDefined();
        expect(report.agencyId).toBe(city.agencyFor(report.categoryCode, report.location));
      }
      const agencyOf = new Map(ofKind(actions, 'report.submit').map((r) => [r.ref, r.agencyId]));
      const agencyActions = actions.filter((a): a is AgencyAction => a.kind.startsWith('agency.'));
      expect(agencyActions.length).toBeGreaterThan(500);
      for (const action of agencyActions) expect(action.agencyId).toBe(agencyOf.get(action.ref));
    });

    it('are acknowledged, started and resolved in order, some late, some declined, some never', () => {
      const byRef = new Map<string, AgencyAction[]>();
      for (const action of actions.filter((a): a is AgencyAction => a.kind.startsWith('agency.')))
        byRef.set(action.ref, [...(byRef.get(action.ref) ?? []), action]);
      // Reports whose whole handling, late or not, falls within the horizon.
      const reports = ofKind(actions, 'report.submit').filter(
        (r) =>
          !r.duplicateOf &&
          r.agencyId &&
          r.at < DAY_MS * 2 &&
          city.category(r.categoryCode)!.resolveWithinMs <= 2 * DAY_MS,
      );
      const handled = reports.filter((r) => byRef.has(r.ref));
      const declined = handled.filter((r) => byRef.get(r.ref)?.[0].kind === 'agency.decline');
      // Within the horizon: long SLAs (30 days) resolve after it.
      const acknowledged = handled.filter(
        (r) =>
          byRef.get(r.ref)?.[0].kind === 'agency.acknowledge' &&
          byRef.get(r.ref)?.[2]?.kind === 'agency.resolve',
      );
      const late = acknowledged.filter((r) =>
        byRef
          .get(r.ref)
          ?.slice(0, 3)
          .some((a) => a.late),
      );
      expect(1 - handled.length / reports.length).toBeCloseTo(0.05, 1);
      expect(declined.length / handled.length).toBeCloseTo(0.05, 1);
      expect(late.length / acknowledged.length).toBeGreaterThan(0.1);
      expect(late.length / acknowledged.length).toBeLessThan(0.2);
      for (const report of acknowledged) {
        const [ack, start, resolve] = byRef.get(report.ref) as AgencyAction[];
        expect([ack.kind, start.kind, resolve.kind]).toEqual([
          'agency.acknowledge',
          'agency.start',
          'agency.resolve',
        ]);
        expect(ack.at).toBeGreaterThan(report.at);
        expect(start.at).toBeGreaterThan(ack.at);
        expect(resolve.at).toBeGreaterThan(start.at);
        const sla = city.category(report.categoryCode)!;
        expect(ack.late).toBe(ack.at > report.at + sla.ackWithinMs);
      }
    });

    it('are answered by citizens: confirmed and rated, or reopened and handled again; never on Open311 reports', () => {
      const rest = new Set(
        ofKind(actions, 'report.submit')
          .filter((r) => r.via === 'rest')
          .map((r) => r.ref),
      );
      const citizen = actions.filter((a) => a.kind.startsWith('citizen.')) as Extract<
        Action,
        { ref: string }
      >[];
      expect(citizen.every((a) => rest.has(a.ref))).toBe(true);
      const reopened = ofKind(actions, 'citizen.reopen');
      const rated = ofKind(actions, 'citizen.rate');
      const resolved = ofKind(actions, 'agency.resolve').filter((a) => rest.has(a.ref));
      expect(reopened.length / resolved.length).toBeGreaterThan(0.03);
      expect(reopened.length / resolved.length).toBeLessThan(0.15);
      expect(rated.length).toBeGreaterThan(0);
      expect(rated.every((r) => r.rating !== undefined && r.rating >= 1 && r.rating <= 5)).toBe(true);
      for (const reopen of reopened) {
        const after = actions.filter(
          (a) => a.kind === 'agency.acknowledge' && a.ref === reopen.ref && a.at > reopen.at,
        );
        const ignoredOrDeclined = !actions.some(
          (a) => a.kind === 'agency.resolve' && a.ref === reopen.ref && a.at > reopen.at,
        );
        expect(after.length === 1 || ignoredOrDeclined).toBe(true);
      }
    });

    it('carry only obviously fake personal data, and mark their text as simulated', () => {
      const reporters = submitted.map((r) => r.reporter);
      for (const reporter of reporters) {
        expect(reporter.phone.startsWith(FAKE_PHONE_PREFIX)).toBe(true);
        expect(reporter.phone).toMatch(/^\+?[0-9][0-9 .()-]*$/);
        expect(reporter.phone.length).toBeLessThanOrEqual(20);
        expect(reporter.name).toContain('(mô phỏng)');
        if (reporter.email !== undefined) expect(reporter.email).toMatch(/@example\.org$/);
      }
      expect(submitted.every((r) => r.description.startsWith(SIMULATED_TAG))).toBe(true);
    });
  });

  describe('cameras and traffic', () => {
    let actions: Action[];
    let detections: CameraDetection[];

    beforeAll(() => {
      actions = run(
        { seed: 9, startAt: 0, rainChancePerDay: 1, accidentsPerDay: 4, dropoutsPerCameraDay: 1 },
        2 * DAY_MS,
      );
      detections = ofKind(actions, 'camera.detection');
    });

    it('keep background noise below the confidence floor', () => {
      const noise = detections.filter((d) => d.situation === 'noise');
      expect(noise.length / 2).toBeGreaterThan(22 * 4 * 24 * 0.8);
      expect(noise.every((d) => d.confidence <= 0.45)).toBe(true);
      expect(detections.filter((d) => d.situation !== 'noise').every((d) => d.confidence >= 0.55)).toBe(true);
    });

    it('burst around situations: flooding after rain, jams at rush hour, accidents', () => {
      const flooding = detections.filter((d) => d.situation === 'rain');
      const jams = detections.filter((d) => d.situation === 'rush-hour-jam');
      const accidents = detections.filter((d) => d.situation === 'accident');
      expect(flooding.length).toBeGreaterThan(20);
      expect(flooding.every((d) => d.class === 'flooding' && hourOfDay(d.at) >= 13)).toBe(true);
      expect(jams.length).toBeGreaterThan(20);
      expect(jams.every((d) => d.class === 'congestion')).toBe(true);
      const jamHours = jams.map((d) => hourOfDay(d.at));
      expect(jamHours.every((h) => (h >= 7 && h < 10) || (h >= 17 && h < 20))).toBe(true);
      expect(accidents.length).toBeGreaterThan(10);
      // A burst: one camera's detections of a situation come tens of seconds apart, not hours.
      const byCamera = new Map<string, CameraDetection[]>();
      for (const d of flooding) byCamera.set(d.cameraId, [...(byCamera.get(d.cameraId) ?? []), d]);
      const gaps = [...byCamera.values()].flatMap((list) => list.slice(1).map((d, i) => d.at - list[i].at));
      const median = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
      expect(median).toBeLessThan(2 * 60_000);
    });

    it('sends every camera’s heartbeat each interval, except while it has dropped out, and it comes back', () => {
      const ticks = ofKind(actions, 'camera.heartbeats');
      expect(ticks.length).toBe(2 * 24 * 60);
      const missing = ticks.map((tick) => data.cameras.length - tick.beats.length);
      expect(missing.some((n) => n > 0)).toBe(true);
      expect(missing.some((n) => n === 0)).toBe(true);
      const camera = data.cameras.find((c) =>
        ticks.some(
          (tick, i) =>
            i > 0 &&
            !tick.beats.some((b) => b.cameraId === c.id) &&
            ticks[i - 1].beats.some((b) => b.cameraId === c.id),
        ),
      );
      expect(camera).toBeDefined();
      const seen = ticks.map((tick) => tick.beats.some((b) => b.cameraId === camera!.id));
      const firstGap = seen.indexOf(false);
      expect(seen.slice(firstGap).includes(true)).toBe(true);
    });

    it('observes every segment, slower in the rush hours than at night', () => {
      const ticks = ofKind(actions, 'traffic.observations');
      expect(ticks.length).toBe((2 * 24 * 60) / 5);
      const freeFlow = new Map(data.roadSegments.map((s) => [s.id, s.freeFlowKmh]));
      const meanRatio = (hours: (h: number) => boolean) => {
        const list = ticks.filter((t) => hours(hourOfDay(t.at))).flatMap((t) => t.observations);
        return (
          list.reduce((sum, o) => sum + o.speedKmh / (freeFlow.get(o.segmentId) as number), 0) / list.length
        );
      };
      expect(ticks.every((t) => t.observations.length === data.roadSegments.length)).toBe(true);
      expect(meanRatio((h) => h >= 7 && h < 8.5)).toBeLessThan(meanRatio((h) => h >= 1 && h < 4) - 0.2);
      expect(meanRatio((h) => h >= 17 && h < 18.5)).toBeLessThan(meanRatio((h) => h >= 1 && h < 4) - 0.2);
    });

    it('splits integrator events between HTTP ingest and Kafka as configured', () => {
      const events = actions.filter(
        (a): a is Extract<Action, { via: string }> => 'via' in a && a.kind !== 'report.submit',
      );
      const http = events.filter((a) => a.via === 'http').length / events.length;
      expect(http).toBeGreaterThan(0.45);
      expect(http).toBeLessThan(0.55);
      const kafkaOnly = run({ seed: 9, httpShare: 0 }, 8 * HOUR_MS).filter(
        (a) => 'via' in a && a.kind !== 'report.submit',
      );
      expect(kafkaOnly.every((a) => 'via' in a && a.via === 'kafka')).toBe(true);
    });
  });

  describe('KPI observations', () => {
    it('publish the profile’s series once a day, near the city’s figures', () => {
      const observations = ofKind(run({ seed: 2, startAt: 0 }, 3 * DAY_MS), 'kpi.observation');
      const series = profile.kpiObservations!.series;
      expect(observations).toHaveLength(3 * series.length);
      const codes = new Set(data.kpis.map((k) => k.code));
      for (const observation of observations) {
        expect(codes.has(observation.kpiCode)).toBe(true);
        expect(hourOfDay(observation.at)).toBeGreaterThanOrEqual(7);
        expect(hourOfDay(observation.at)).toBeLessThan(7.2);
      }
      const online = observations.filter((o) => o.kpiCode === 'online-dossier-share').map((o) => o.value);
      expect(online.every((v) => v > 22 && v < 34)).toBe(true);
      const onTime = observations.filter((o) => o.kpiCode === 'dossier-on-time-share').map((o) => o.value);
      expect(onTime.every((v) => v >= 96.5 && v <= 100)).toBe(true);
      const services = observations.filter((o) => o.kpiCode === 'online-public-services').map((o) => o.value);
      expect(services.every((v) => Number.isInteger(v) && v >= 199 && v <= 201)).toBe(true);
    });

    it('sends none without a profile', () => {
      expect(ofKind(run({ seed: 2, profile: EMPTY_PROFILE }, DAY_MS), 'kpi.observation')).toEqual([]);
    });
  });
});
