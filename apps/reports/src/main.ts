import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, HTTP_SERVICE_OPTIONS } from './app.module';
import { reportsEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(reportsEnv);
  const app = await createHttpService(AppModule.forRoot(config), {
    ...HTTP_SERVICE_OPTIONS,
    jsonLimit: config.REPORTS_JSON_LIMIT,
  });
  await app.listen(config.PORT, '0.0.0.0');
});
