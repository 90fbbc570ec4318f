import type { Admin, Kafka } from 'kafkajs';
import { MessagingError } from '../messaging.errors';

/** Consumers whose health readiness includes: a `ConsumerFactory`, or a single `BatchConsumerRunner`. */
export interface ConsumerHealthSource {
  healthProblems(): readonly string[];
}

/**
 * Readiness of the service's Kafka side for a health endpoint: first its consumers (none crashed or
 * stopped, none retrying a transient fault or stalled beyond its limits), then the cluster:
 * `admin.describeCluster()` bounded by a timeout, on one admin connection kept between probes. Shaped as
 * a `ReadinessCheck` of `@ioc/observability` (`{ name, check }`), so it can be listed among a service's
 * checks as is; MessagingModule has it watch the service's `ConsumerFactory`, so every service that stands
 * on the platform reports its consumers in `/health/ready`.
 */
export class KafkaReadiness {
  readonly name = 'kafka';
  private admin: Admin | undefined;

  private readonly sources: ConsumerHealthSource[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly timeoutMs = 3_000,
    consumers?: ConsumerHealthSource,
  ) {
    if (consumers) this.watch(consumers);
  }

  /** Adds consumers whose health this readiness includes (MessagingModule adds its ConsumerFactory). */
  watch(consumers: ConsumerHealthSource): void {
    this.sources.push(consumers);
  }

  /**
   * Resolves when the consumers are healthy and a broker answered within the timeout; rejects otherwise:
   * `MESSAGING.CONSUMER_UNHEALTHY` naming each consumer's problem (names of consumers, topics and
   * partitions only), `MESSAGING.KAFKA_TIMEOUT`, or the kafkajs error (whose message names hosts and ports
   * only). An arrow function: health modules may call it detached from the instance.
   */
  readonly check = async (): Promise<void> => {
    const problems = this.sources.flatMap((source) => source.healthProblems());
    if (problems.length > 0) throw new MessagingError('MESSAGING.CONSUMER_UNHEALTHY', problems.join('; '));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new MessagingError('MESSAGING.KAFKA_TIMEOUT', `no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      await Promise.race([this.describe(), timeout]);
    } catch (error) {
      // Reconnect on the next probe: the admin's connection may be the broken part. Not awaited: kafkajs'
      // disconnect waits for the request in flight, up to its 30 s request timeout.
      void this.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  private async describe(): Promise<void> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    await this.admin.describeCluster();
  }
}
