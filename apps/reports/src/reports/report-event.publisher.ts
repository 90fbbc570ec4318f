import { type IocEvent, Topics, topicName } from '@ioc/contracts';
import { Outbox } from '@ioc/messaging';
import type { Tx } from '@ioc/database';

/** Where report events go: the outbox, in the caller's transaction (docs/architecture.md, "Nothing lost"). */
export abstract class ReportEventPublisher {
  abstract publish(tx: Tx, events: readonly IocEvent[]): Promise<void>;
}

export class OutboxReportEventPublisher extends ReportEventPublisher {
  private readonly topic: string;

  constructor(
    private readonly outbox: Outbox,
    topicSuffix: string | undefined,
  ) {
    super();
    this.topic = topicName(Topics.reportsEvents, topicSuffix);
  }

  publish(tx: Tx, events: readonly IocEvent[]): Promise<void> {
    return this.outbox.enqueue(tx, this.topic, events);
  }
}
