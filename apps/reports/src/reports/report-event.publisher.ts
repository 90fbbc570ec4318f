import { type IocEvent, Topics } from '@ioc/contracts';
import { Outbox, TopicNames } from '@ioc/messaging';
import { Injectable } from '@nestjs/common';
import type { Tx } from '@ioc/database';

/** Where report events go: the outbox, in the caller's transaction (docs/architecture.md, "Nothing lost"). */
export abstract class ReportEventPublisher {
  abstract publish(tx: Tx, events: readonly IocEvent[]): Promise<void>;
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
}
