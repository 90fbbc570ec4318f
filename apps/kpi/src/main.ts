import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, HTTP_SERVICE_OPTIONS } from './app.module';
import { kpiEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(kpiEnv);
  const app = await createHttpService(AppModule.forRoot(config), HTTP_SERVICE_OPTIONS);
  await app.listen(config.PORT, '0.0.0.0');
});
