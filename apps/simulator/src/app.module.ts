import { createKafka, KafkaReadiness } from '@ioc/messaging';
import { HealthModule, ObservabilityModule, provideConfig } from '@ioc/observability';
import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SimulatorConfig } from './config';

export const SERVICE_NAME = 'simulator';

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
