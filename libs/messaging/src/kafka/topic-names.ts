import { type TopicName, topicName } from '@ioc/contracts';

/**
 * This environment's names for the catalog's topics and the service's consumer groups: `IOC_TOPIC_SUFFIX`
 * appended (`ioc.dlq.<suffix>`), so that two environments or test runs can share a broker. The one place that
 * applies the suffix: KafkaModule provides it, the consumer and live-reader factories use it, and a service
 * asks it for the topic it hands to the outbox (`topics.of(Topics.incidentsEvents)`).
 */
export class TopicNames {
  constructor(readonly suffix?: string) {}

  of(base: TopicName): string {
    return topicName(base, this.suffix);
  }

  /** A consumer group id of this environment: members of different environments must never share a group. */
  group(id: string): string {
    return this.suffix ? `${id}.${this.suffix}` : id;
  }
}
