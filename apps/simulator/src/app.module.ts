import { createKafka, KafkaReadiness } from '@ioc/messaging';
import {
  HealthModule,
  ObservabilityModule,
  provideConfig,
  type HttpServiceOptions,
} from '@ioc/observability';
import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SimulatorConfig } from './config';

export const SERVICE_NAME = 'simulator';

export const HTTP_SERVICE_OPTIONS: HttpServiceOptions = {
  title: `IOC ${SERVICE_NAME}`,
  description: 'Realistic demo and load traffic through the public interfaces (Kafka topics and REST).',
};

/** Closes the readiness probe's admin connection with the app. */
class KafkaProbe extends KafkaReadiness implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(config: SimulatorConfig): DynamicModule {
    const kafka = new KafkaProbe(createKafka({ clientId: SERVICE_NAME, brokers: config.KAFKA_BROKERS }));
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service: SERVICE_NAME, level: config.LOG_LEVEL }),
        HealthModule.forRoot({ checks: [{ name: kafka.name, check: kafka.check }] }),
      ],
      providers: [provideConfig(SimulatorConfig, config), { provide: KafkaProbe, useValue: kafka }],
    };
  }
}
