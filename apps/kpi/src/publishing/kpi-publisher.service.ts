import { Topics } from '@ioc/contracts';
import { UnitOfWork } from '@ioc/database';
import { Outbox, TopicNames } from '@ioc/messaging';
import { Clock } from '@ioc/platform';
import { Injectable } from '@nestjs/common';
import { CatalogService } from '../catalog/catalog.service';
import { KpiConfig } from '../config';
import { aggregateKeyString } from '../computation/aggregate';
import { KpiEvaluator, type KpiValue } from '../values/kpi-evaluator';
import { kpiUpdatedEvent } from './kpi-updated-event';
import { PublicationsRepository } from './publications.repository';

/**
 * Publishes changed KPI values through the outbox, coalesced (docs/architecture.md, "KPI service"): the fold
 * marks keys dirty; a round claims the dirty keys not published within KPI_PUBLISH_INTERVAL, evaluates them
 * as they stand now and enqueues one event per key, so a key goes out at most once per interval and its last
 * event carries its final value.
 */
@Injectable()
export class KpiPublisherService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly publications: PublicationsRepository,
    private readonly evaluator: KpiEvaluator,
    private readonly catalogs: CatalogService,
    private readonly outbox: Outbox,
    private readonly topics: TopicNames,
    private readonly clock: Clock,
    private readonly config: KpiConfig,
  ) {}

  /** One round; returns how many keys it published. */
  async publishDue(): Promise<number> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const keys = await this.publications.claimDue(
        tx,
        new Date(now.getTime() - this.config.KPI_PUBLISH_INTERVAL),
        this.config.KPI_PUBLISH_BATCH,
      );
      if (keys.length === 0) return 0;
      const catalog = await this.catalogs.current(tx);
      const values = await this.evaluator.evaluate(tx, catalog, keys, now, this.config.CITY_TIMEZONE);
      const events = keys
        .map((key) => values.get(aggregateKeyString(key)))
        .filter((v): v is KpiValue & { value: number } => v?.value !== undefined)
        .map((v) => kpiUpdatedEvent(v, now));
      if (events.length > 0) await this.outbox.enqueue(tx, this.topics.of(Topics.kpiUpdates), events);
      await this.publications.markPublished(tx, keys, now);
      return events.length;
    });
  }
}
