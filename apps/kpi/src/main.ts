import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, SERVICE_NAME } from './app.module';
import { kpiEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(kpiEnv);
  const app = await createHttpService(AppModule.forRoot(config), {
    title: `IOC ${SERVICE_NAME} service`,
    description:
      'KPI catalog, targets and windowed aggregates from every domain topic; publishes ioc.kpi.updates.',
  });
  await app.listen(config.PORT, '0.0.0.0');
});
