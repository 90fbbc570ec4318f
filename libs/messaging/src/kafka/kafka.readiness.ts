import type { Admin, Kafka } from 'kafkajs';
import { MessagingError } from '../messaging.errors';

/**
 * Readiness probe of the Kafka cluster for a health endpoint: `admin.describeCluster()` bounded by a
 * timeout, on one admin connection kept between probes. Shaped as a `ReadinessCheck` of
 * `@ioc/observability` (`{ name, check }`), so it can be listed among a service's checks as is.
 */
export class KafkaReadiness {
  readonly name = 'kafka';
  private admin: Admin | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly timeoutMs = 3_000,
  ) {}

  /**
   * Resolves when a broker answered within the timeout; rejects otherwise (`MESSAGING.KAFKA_TIMEOUT`, or
   * the kafkajs error, whose message names hosts and ports only). An arrow function: health modules may
   * call it detached from the instance.
   */
  readonly check = async (): Promise<void> => {
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
