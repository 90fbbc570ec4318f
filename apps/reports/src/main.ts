import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, SERVICE_NAME } from './app.module';
import { reportsEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(reportsEnv);
  const app = await createHttpService(AppModule.forRoot(config), {
    title: `IOC ${SERVICE_NAME} service`,
    description:
      'Citizen field reports ("phản ánh hiện trường"): submission, routing, SLA, agency work, citizen confirmation and rating; Open311 GeoReport v2.',
  });
  await app.listen(config.PORT, '0.0.0.0');
});
