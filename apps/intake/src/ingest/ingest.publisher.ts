import type { IocEvent, TopicName } from '@ioc/contracts';
import { EventProducer, TopicNames } from '@ioc/messaging';
import { Injectable } from '@nestjs/common';

/** An accepted event and the (base) topic its type belongs to. */
export interface RoutedEvent {
  topic: TopicName;
  event: IocEvent;
}

/** Port: hands events to the backbone and resolves only once the broker acknowledged all of them. */
export abstract class IngestPublisher {
  abstract publish(events: readonly RoutedEvent[]): Promise<void>;
}

/**
 * Publishes with the service's idempotent producer (acks=all), in CloudEvents binary mode with the subject as the
 * Kafka key, like every producer of the backbone (docs/architecture.md, "Envelope"). One `sendBatch` for the whole
 * request. An event without a correlation id or traceparent gets the request's (docs/architecture.md, "Tracing across
 * Kafka").
 */
@Injectable()
export class KafkaIngestPublisher extends IngestPublisher {
  constructor(
    private readonly producer: EventProducer,
    private readonly topics: TopicNames,
  ) {
    super();
  }

  override publish(events: readonly RoutedEvent[]): Promise<void> {
    return this.producer.sendEvents(
      events.map(({ topic, event }) => ({ topic: this.topics.of(topic), event })),
    );
  }
}
