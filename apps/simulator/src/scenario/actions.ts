import type { DetectionClass, ReportChannel } from '@ioc/contracts';
import type { GeoPoint } from '@ioc/reference-data';

/** Where an integrator's event goes: intake's HTTP ingest (API key) or straight onto the Kafka topic. */
export type EventPath = 'http' | 'kafka';

/** A citizen, obviously fake: see `fake-people.ts`. */
export interface FakeReporter {
  readonly name: string;
  readonly phone: string;
  readonly email?: string;
}

/** A report from the citizen app or web (`POST /reports`) or an Open311 client (`POST /open311/v2/requests.json`). */
export interface SubmitReport {
  readonly kind: 'report.submit';
  readonly at: number;
  /** The scenario's name for the report; later actions on it name it, the driver maps it to the service's id. */
  readonly ref: string;
  readonly via: 'rest' | 'open311';
  readonly channel: 'app' | 'web';
  readonly categoryCode: string;
  readonly description: string;
  readonly location: GeoPoint;
  readonly addressText?: string;
  readonly reporter: FakeReporter;
  /** How many photos to attach (multipart); 0 sends JSON. */
  readonly photos: number;
  /** The earlier report this one repeats (same category, a few metres away, shortly after). */
  readonly duplicateOf?: string;
  /** The agency the city's routing rules give it, which will act on it. */
  readonly agencyId?: string;
}

/** A report from another channel (hotline, Zalo, national portal), as `ioc.report.submission.v1`. */
export interface ChannelSubmission {
  readonly kind: 'report.channel';
  readonly at: number;
  readonly ref: string;
  readonly channel: ReportChannel;
  readonly externalId: string;
  readonly categoryCode: string;
  readonly description: string;
  readonly location: GeoPoint;
  readonly addressText?: string;
  readonly reporter: FakeReporter;
}

/** An agency acting on a report assigned to it (agency endpoints, with that agency's token). */
export interface AgencyAction {
  readonly kind: 'agency.acknowledge' | 'agency.start' | 'agency.resolve' | 'agency.decline';
  readonly at: number;
  readonly ref: string;
  readonly agencyId: string;
  /** The answer (resolve) or reason (decline). */
  readonly text?: string;
  /** Whether it comes after the category's SLA deadline (for the scenario's own accounting). */
  readonly late: boolean;
}

/** A citizen answering the agency's resolution (citizen endpoints, with the tracking code and secret). */
export interface CitizenAction {
  readonly kind: 'citizen.confirm' | 'citizen.reopen' | 'citizen.rate';
  readonly at: number;
  readonly ref: string;
  readonly rating?: number;
  readonly text?: string;
}

export interface CameraDetection {
  readonly kind: 'camera.detection';
  readonly at: number;
  readonly via: EventPath;
  readonly cameraId: string;
  readonly class: DetectionClass;
  readonly confidence: number;
  /** The situation behind it (`noise` for background below the confidence floor). */
  readonly situation: string;
}

export interface CameraHeartbeats {
  readonly kind: 'camera.heartbeats';
  readonly at: number;
  readonly via: EventPath;
  readonly beats: readonly { cameraId: string; status: 'ok' | 'degraded'; fps: number }[];
}

export interface TrafficObservations {
  readonly kind: 'traffic.observations';
  readonly at: number;
  readonly via: EventPath;
  readonly observations: readonly {
    segmentId: string;
    speedKmh: number;
    volumeVehPerHour: number;
    occupancyPct: number;
  }[];
}

export interface KpiObservation {
  readonly kind: 'kpi.observation';
  readonly at: number;
  readonly via: EventPath;
  readonly kpiCode: string;
  readonly value: number;
  readonly unit?: string;
  readonly source: string;
}

/** One thing the simulated city does at scenario time `at` (ms since midnight of day 0, in the city's zone). */
export type Action =
  | SubmitReport
  | ChannelSubmission
  | AgencyAction
  | CitizenAction
  | CameraDetection
  | CameraHeartbeats
  | TrafficObservations
  | KpiObservation;

export type ActionKind = Action['kind'];
