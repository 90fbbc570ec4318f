import { Topics } from '@ioc/contracts';
import { type BatchConsumerRunnerOptions, ConsumerFactory } from '@ioc/messaging';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { KpiConfig } from '../config';
import { ComputationService } from './computation.service';

/** The topics every KPI is computed from. */
export const KPI_SOURCE_TOPICS = [
  Topics.reportsEvents,
  Topics.incidentsEvents,
  Topics.camerasStatus,
  Topics.trafficStatus,
  Topics.kpiObservations,
] as const;

/**
 * Every source topic → the KPI projection, one call per chunk in the chunk's transaction (with its inbox
 * rows). An event's arrival, which judges lateness, is its record's Kafka timestamp: the same on a replay.
 */
@Injectable()
export class KpiSourcesConsumer implements OnApplicationBootstrap {
  static readonly groupId = 'kpi.sources';

  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly computation: ComputationService,
    private readonly config: KpiConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers
      .create({
        groupId: KpiSourcesConsumer.groupId,
        consumerName: KpiSourcesConsumer.groupId,
        topics: [...KPI_SOURCE_TOPICS],
        ...kpiSourcesRunnerOptions(this.config, this.computation),
      })
      .start();
  }
}

/** Most bytes of one fetch over all source partitions. */
const FETCH_MAX_BYTES = 64 * 1024 * 1024;

/** How the source events are consumed: chunking, concurrency, and the fold as the batch handler. */
export function kpiSourcesRunnerOptions(
  config: KpiConfig,
  computation: ComputationService,
): Required<
  Pick<
    BatchConsumerRunnerOptions,
    | 'maxMessagesPerTransaction'
    | 'partitionsConsumedConcurrently'
    | 'groupCommit'
    | 'maxBytesPerPartition'
    | 'maxBytes'
    | 'batchHandler'
  >
> {
  return {
    maxMessagesPerTransaction: config.KPI_CHUNK_SIZE,
    partitionsConsumedConcurrently: config.KPI_PARTITION_CONCURRENCY,
    // Chunks of several partitions in one transaction: the fold writes a row they share (the city's day, an
    // agency's month) once for all of them, and no two transactions wait on each other's rows.
    groupCommit: true,
    // Room for a whole chunk in one fetch: source events are under 2 KiB each.
    maxBytesPerPartition: config.KPI_CHUNK_SIZE * 2048,
    // And room for many partitions' chunks in one fetch: kafkajs' 10 MiB default split over the source topics'
    // partitions (30) left chunks of a few hundred events, each paying a transaction and its statements.
    maxBytes: FETCH_MAX_BYTES,
    batchHandler: (events, { manager }) =>
      computation.apply(
        manager,
        events.map(({ event, timestamp }) => ({ event, arrivedAt: arrivalOf(timestamp) })),
      ),
  };
}

/** A record's timestamp as a `Date` (now for a record without one, which Kafka ≥ 0.10 never delivers). */
export function arrivalOf(timestamp: string | undefined): Date {
  const ms = Number(timestamp);
  return Number.isFinite(ms) && timestamp !== undefined && timestamp !== '' ? new Date(ms) : new Date();
}
