import { InvalidTopicSuffixError } from '../errors/contract.errors';
import { EventTypes } from '../events/event-types';
import {
  personalDataRetentionViolations,
  TOPIC_CATALOG,
  topicName,
  topicOf,
  Topics,
  topicSpec,
  type TopicSpec,
} from './topic-catalog';

const DAY = 24 * 60 * 60 * 1000;

describe('TOPIC_CATALOG', () => {
  it.each([
    ['ioc.reports.submissions', 6, 'delete', 7 * DAY],
    ['ioc.reports.events', 6, 'delete', 30 * DAY],
    ['ioc.camera.detections', 12, 'delete', 3 * DAY],
    ['ioc.camera.heartbeats', 6, 'delete', 1 * DAY],
    ['ioc.traffic.observations', 6, 'delete', 3 * DAY],
    ['ioc.incidents.events', 6, 'delete', 30 * DAY],
    ['ioc.cameras.status', 3, 'delete', 30 * DAY],
    ['ioc.traffic.status', 6, 'delete', 7 * DAY],
    ['ioc.kpi.observations', 3, 'delete', 30 * DAY],
    ['ioc.kpi.updates', 3, 'compact', null],
    ['ioc.dlq', 3, 'delete', 7 * DAY],
  ] as const)(
    'provisions %s with %i partitions, %s cleanup and the agreed retention',
    (name, partitions, cleanup, ms) => {
      expect(topicSpec(name)).toMatchObject({ name, partitions, cleanupPolicy: cleanup, retentionMs: ms });
    },
  );

  it('has exactly one entry per topic name', () => {
    const names = TOPIC_CATALOG.map((spec) => spec.name);

    expect(names).toHaveLength(Object.keys(Topics).length);
    expect(new Set(names)).toEqual(new Set(Object.values(Topics)));
  });

  it('places every event type on exactly one topic', () => {
    const placed = TOPIC_CATALOG.flatMap((spec) => spec.eventTypes);

    expect(placed).toHaveLength(Object.values(EventTypes).length);
    expect(new Set(placed)).toEqual(new Set(Object.values(EventTypes)));
  });

  it('carries no event schema on the dead-letter topic, which keeps original bytes', () => {
    expect(topicSpec(Topics.dlq).eventTypes).toEqual([]);
  });

  it('names a producer, a consumer, a key and a purpose for every topic', () => {
    for (const spec of TOPIC_CATALOG) {
      expect(spec.producers.length).toBeGreaterThan(0);
      expect(spec.consumers.length).toBeGreaterThan(0);
      expect(spec.key).not.toHaveLength(0);
      expect(spec.purpose).not.toHaveLength(0);
    }
  });
});

describe(personalDataRetentionViolations.name, () => {
  const withSpec = (name: TopicSpec['name'], change: Partial<TopicSpec>): TopicSpec[] =>
    TOPIC_CATALOG.map((spec) => (spec.name === name ? { ...spec, ...change } : spec));

  it("finds none in the catalog: no topic keeps a reporter's data longer than the topic it came from", () => {
    expect(personalDataRetentionViolations(TOPIC_CATALOG)).toEqual([]);
    const sources = TOPIC_CATALOG.filter((spec) => spec.personalData === 'source');
    expect(sources.map((spec) => spec.name)).toEqual([Topics.reportsSubmissions]);
    for (const source of sources)
      expect(topicSpec(Topics.dlq).retentionMs).toBeLessThanOrEqual(source.retentionMs as number);
  });

  it('marks the dead-letter topic as holding copies, since it keeps the original bytes of any topic', () => {
    expect(topicSpec(Topics.dlq).personalData).toBe('copies');
  });

  it.each([
    ['the DLQ outlives its source', withSpec(Topics.dlq, { retentionMs: 30 * DAY }), /ioc\.dlq keeps copies/],
    [
      'a source is shortened below the DLQ',
      withSpec(Topics.reportsSubmissions, { retentionMs: 3 * DAY }),
      /ioc\.dlq keeps copies/,
    ],
    [
      'the DLQ keeps records forever',
      withSpec(Topics.dlq, { retentionMs: null }),
      /ioc\.dlq carries personal data/,
    ],
    [
      'a personal-data topic is compacted',
      withSpec(Topics.reportsSubmissions, { cleanupPolicy: 'compact' }),
      /ioc\.reports\.submissions carries personal data/,
    ],
  ])('flags a catalog where %s', (_case, catalog, message) => {
    expect(personalDataRetentionViolations(catalog)).toEqual([expect.stringMatching(message)]);
  });
});

describe(topicOf.name, () => {
  it.each([
    [EventTypes.reportSubmission, Topics.reportsSubmissions],
    [EventTypes.reportOverdue, Topics.reportsEvents],
    [EventTypes.cameraDetection, Topics.cameraDetections],
    [EventTypes.incidentCleared, Topics.incidentsEvents],
    [EventTypes.cameraStatusChanged, Topics.camerasStatus],
    [EventTypes.trafficCongestionChanged, Topics.trafficStatus],
    [EventTypes.kpiUpdated, Topics.kpiUpdates],
  ])('routes %s to %s', (type, topic) => {
    expect(topicOf(type)).toBe(topic);
  });
});

describe(topicName.name, () => {
  it('returns the base name without a suffix', () => {
    expect(topicName(Topics.reportsEvents)).toBe('ioc.reports.events');
    expect(topicName(Topics.reportsEvents, '')).toBe('ioc.reports.events');
  });

  it('appends a suffix after a dot', () => {
    expect(topicName(Topics.kpiUpdates, 'local_a1b2c3')).toBe('ioc.kpi.updates.local_a1b2c3');
  });

  it.each(['has space', 'slash/y', '.leading-dot', 'ümlaut', 'x'.repeat(101)])(
    'refuses the suffix %j that Kafka would not accept',
    (suffix) => {
      expect(() => topicName(Topics.dlq, suffix)).toThrow(InvalidTopicSuffixError);
    },
  );

  it('gives the refusal a stable code', () => {
    expect(() => topicName(Topics.dlq, 'a b')).toThrow(
      expect.objectContaining({ code: 'TOPIC.INVALID_SUFFIX' }),
    );
  });
});
