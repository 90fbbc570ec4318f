import { type IocEvent, Topics } from '@ioc/contracts';
import { Outbox, type OutboxRows, TopicNames } from '@ioc/messaging';
import { Injectable } from '@nestjs/common';
import type { Tx } from '@ioc/database';

/** Where report events go: the outbox, in the caller's transaction (docs/architecture.md, "Nothing lost"). */
export abstract class ReportEventPublisher {
  abstract publish(tx: Tx, events: readonly IocEvent[]): Promise<void>;
  /** The outbox rows of `events`, for the statement that writes the change they announce. */
  abstract rows(events: readonly IocEvent[]): OutboxRows;
}

@Injectable()
export class OutboxReportEventPublisher extends ReportEventPublisher {
  private readonly topic: string;

  constructor(
    private readonly outbox: Outbox,
    topics: TopicNames,
  ) {
    super();
    this.topic = topics.of(Topics.reportsEvents);
  }

  publish(tx: Tx, events: readonly IocEvent[]): Promise<void> {
    return this.outbox.enqueue(tx, this.topic, events);
  }

  rows(events: readonly IocEvent[]): OutboxRows {
    return this.outbox.rows(this.topic, events);
  }
}
