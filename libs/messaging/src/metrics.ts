import { Counter, Gauge, Histogram, register, type Metric } from 'prom-client';

// The default registry, so the observability lib's /metrics endpoint exposes these without wiring.
// Labels are bounded: consumer and topic names come from code, reasons from a fixed set of codes,
// partitions from the topic catalog.

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
