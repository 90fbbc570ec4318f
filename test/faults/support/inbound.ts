import { EventTypes, type TopicName, Topics } from '@ioc/contracts';
import type { ServiceName, TopicRecord } from '@ioc/testing';

/** Who consumes each inbound topic, its consumer (group) name, and the schema that holds its inbox. */
export const INBOUND: Record<string, { topic: TopicName; consumer: string; service: ServiceName }> = {
  [EventTypes.cameraDetection]: {
    topic: Topics.cameraDetections,
    consumer: 'intake.camera-detections',
    service: 'intake',
  },
  [EventTypes.cameraHeartbeat]: {
    topic: Topics.cameraHeartbeats,
    consumer: 'intake.camera-heartbeats',
    service: 'intake',
  },
  [EventTypes.trafficObservation]: {
    topic: Topics.trafficObservations,
    consumer: 'intake.traffic-observations',
    service: 'intake',
  },
  [EventTypes.reportSubmission]: {
    topic: Topics.reportsSubmissions,
    consumer: 'reports.submissions',
    service: 'reports',
  },
  [EventTypes.kpiObservation]: { topic: Topics.kpiObservations, consumer: 'kpi.sources', service: 'kpi' },
};

/** A poison record injected on an inbound topic, and the DLQ reason it must come back with. */
export interface Poison {
  key: string;
  topic: TopicName;
  kind: string;
  reason: string;
  consumer: string;
}

/** The record as it was, to publish again: the same key, value bytes and headers. */
export function rawCopy(record: TopicRecord): {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
} {
  return { key: record.key, value: record.value, headers: record.headers };
}

/** `data` with U+0000 inside its first text that is not a time: a value Postgres `text` cannot hold. */
export function withNul(data: Record<string, unknown>): Record<string, unknown> {
  const field = Object.keys(data).find((name) => typeof data[name] === 'string' && !/At$/.test(name));
  if (field === undefined) return { ...data, note: 'a\u0000b' };
  return { ...data, [field]: `${data[field] as string}\u0000` };
}
