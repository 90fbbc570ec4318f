import { bootstrapOrExit, createHttpService, loadConfig } from '@ioc/observability';
import { AppModule, SERVICE_NAME } from './app.module';
import { gatewayEnv } from './config';

void bootstrapOrExit(async () => {
  const config = loadConfig(gatewayEnv);
  const app = await createHttpService(AppModule.forRoot(config), {
    title: `IOC ${SERVICE_NAME} service`,
    description:
      'Live gateway: Socket.IO rooms for the operations wall and agency consoles, replay buffer, and the wall page.',
  });
  await app.listen(config.PORT, '0.0.0.0');
});
