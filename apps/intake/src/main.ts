import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, SERVICE_NAME } from './app.module';
import { intakeEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(intakeEnv);
  const app = await createHttpService(AppModule.forRoot(config), {
    title: `IOC ${SERVICE_NAME} service`,
    description:
      'Camera detections, heartbeats and traffic observations become incidents, camera status and road congestion; HTTP and NGSI-LD ingest for integrators.',
  });
  await app.listen(config.PORT, '0.0.0.0');
});
