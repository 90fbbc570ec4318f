import { Counter, Gauge, Histogram, register, type Metric } from 'prom-client';

// The default registry, so the observability lib's /metrics endpoint exposes these without wiring.
// Labels are bounded: consumer and topic names come from code, reasons from a fixed set of codes,
// partitions from the topic catalog.

/** A source of the progress gauge: a consumer's group and its partitions' seconds since progress. */
export interface ProgressSource {
  readonly group: string;
  progress(): readonly { topic: string; partition: number; secondsSinceProgress: number }[];
}

// On globalThis, not in a module variable: a second copy of this module must feed the one gauge too.
const PROGRESS_SOURCES = Symbol.for('ioc.messaging.progressSources');
function progressSources(): Set<ProgressSource> {
  const holder = globalThis as { [PROGRESS_SOURCES]?: Set<ProgressSource> };
  return (holder[PROGRESS_SOURCES] ??= new Set());
}

/** Adds a consumer to the `ioc_messaging_seconds_since_progress` gauge; returns its removal. */
export function trackProgress(source: ProgressSource): () => void {
  progressSources().add(source);
  return () => progressSources().delete(source);
}

function getOrCreate<T extends Metric>(name: string, create: () => T): T {
  // A second copy of this module (tests, tsx child processes) must reuse, not re-register, the metric.
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** Metrics of the messaging lib, registered once in prom-client's default registry. */
export function messagingMetrics() {
  const consumerLabels = ['consumer', 'topic'] as const;
  return {
    consumed: getOrCreate(
      'ioc_messaging_consumed_total',
      () =>
        new Counter({
          name: 'ioc_messaging_consumed_total',
          help: 'Kafka messages whose processing was committed (applied, duplicate or dead-lettered)',
          labelNames: consumerLabels,
        }),
    ),
    applied: getOrCreate(
      'ioc_messaging_applied_total',
      () =>
        new Counter({
          name: 'ioc_messaging_applied_total',
          help: 'Events whose effect was committed',
          labelNames: consumerLabels,
        }),
    ),
    duplicates: getOrCreate(
      'ioc_messaging_duplicates_skipped_total',
      () =>
        new Counter({
          name: 'ioc_messaging_duplicates_skipped_total',
          help: 'Events skipped because their id was already in the inbox',
          labelNames: consumerLabels,
        }),
    ),
    deadLettered: getOrCreate(
      'ioc_messaging_dead_lettered_total',
      () =>
        new Counter({
          name: 'ioc_messaging_dead_lettered_total',
          help: 'Messages sent to the dead-letter topic, by reason',
          labelNames: [...consumerLabels, 'reason'] as const,
        }),
    ),
    retries: getOrCreate(
      'ioc_messaging_retries_total',
      () =>
        new Counter({
          name: 'ioc_messaging_retries_total',
          help: 'Transient failures retried with backoff',
          labelNames: consumerLabels,
        }),
    ),
    batchDuration: getOrCreate(
      'ioc_messaging_batch_duration_seconds',
      () =>
        new Histogram({
          name: 'ioc_messaging_batch_duration_seconds',
          help: 'Time to process one fetched batch of a partition, commits included',
          labelNames: consumerLabels,
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        }),
    ),
    lag: getOrCreate(
      'ioc_messaging_consumer_lag',
      () =>
        new Gauge({
          name: 'ioc_messaging_consumer_lag',
          help: 'Messages behind the high watermark at the last fetched batch',
          labelNames: [...consumerLabels, 'partition'] as const,
        }),
    ),
    secondsSinceProgress: getOrCreate(
      'ioc_messaging_seconds_since_progress',
      () =>
        new Gauge({
          name: 'ioc_messaging_seconds_since_progress',
          help: 'Seconds since the partition last committed an offset while messages were waiting; 0 when caught up',
          labelNames: ['group', 'topic', 'partition'] as const,
          // Computed at scrape time: a consumer stuck inside a batch updates nothing by itself.
          collect() {
            this.reset();
            for (const source of progressSources()) {
              for (const { topic, partition, secondsSinceProgress } of source.progress()) {
                this.set({ group: source.group, topic, partition: String(partition) }, secondsSinceProgress);
              }
            }
          },
        }),
    ),
    outboxBacklog: getOrCreate(
      'ioc_outbox_backlog',
      () =>
        new Gauge({
          name: 'ioc_outbox_backlog',
          help: 'Outbox rows not yet published',
          labelNames: ['schema'] as const,
        }),
    ),
    outboxPublished: getOrCreate(
      'ioc_outbox_published_total',
      () =>
        new Counter({
          name: 'ioc_outbox_published_total',
          help: 'Outbox rows published to Kafka and deleted',
          labelNames: ['schema'] as const,
        }),
    ),
    inboxPruned: getOrCreate(
      'ioc_inbox_pruned_total',
      () =>
        new Counter({
          name: 'ioc_inbox_pruned_total',
          help: 'Inbox rows deleted by the pruner for being older than the retention',
          labelNames: ['schema'] as const,
        }),
    ),
    liveDelivered: getOrCreate(
      'ioc_live_delivered_total',
      () =>
        new Counter({
          name: 'ioc_live_delivered_total',
          help: 'Events a live reader handed on',
          labelNames: ['reader', 'topic'] as const,
        }),
    ),
    liveSkipped: getOrCreate(
      'ioc_live_skipped_total',
      () =>
        new Counter({
          name: 'ioc_live_skipped_total',
          help: 'Records a live reader skipped as not a valid event, by reason',
          labelNames: ['reader', 'topic', 'reason'] as const,
        }),
    ),
    liveFailed: getOrCreate(
      'ioc_live_failed_total',
      () =>
        new Counter({
          name: 'ioc_live_failed_total',
          help: 'Batches a live reader could not hand on (dropped)',
          labelNames: ['reader', 'topic'] as const,
        }),
    ),
    relayPublishDuration: getOrCreate(
      'ioc_outbox_relay_publish_duration_seconds',
      () =>
        new Histogram({
          name: 'ioc_outbox_relay_publish_duration_seconds',
          help: 'Time for the relay to claim, publish (acks=all) and delete one batch',
          labelNames: ['schema'] as const,
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        }),
    ),
  };
}
