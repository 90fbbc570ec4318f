import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, SERVICE_NAME } from './app.module';
import { simulatorEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(simulatorEnv);
  const app = await createHttpService(AppModule.forRoot(config), {
    title: `IOC ${SERVICE_NAME}`,
    description: 'Realistic demo and load traffic through the public interfaces (Kafka topics and REST).',
  });
  await app.listen(config.PORT, '0.0.0.0');
});
