// Operators create integrator keys with this (see API_KEY_USAGE); runs under tsx, without Nest, against the
// intake schema, migrating it first so a key can be made before the service's first start.
import { ApiKeyService, TypeOrmApiKeyRepository } from '@ioc/auth';
import { createDataSource, runMigrations } from '@ioc/database';
import { bootstrapOrExit, envUrl, loadConfig, ValidationFailedError } from '@ioc/observability';
import { z } from 'zod';
import { intakeMigrations } from '../../migrations';
import { API_KEY_USAGE, parseApiKeyCommand, runApiKeyCommand, UsageError } from './api-key-command';

void bootstrapOrExit(async () => {
  let command;
  try {
    command = parseApiKeyCommand(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`create-api-key: ${error.message}\n\n${API_KEY_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const env = loadConfig(
    z.object({
      DATABASE_URL: envUrl(['postgres:', 'postgresql:']),
      DB_SCHEMA: z.string().default('intake'),
    }),
  );
  const dataSource = createDataSource({
    url: env.DATABASE_URL,
    schema: env.DB_SCHEMA,
    migrations: intakeMigrations,
    applicationName: 'intake:create-api-key',
  });
  try {
    await runMigrations(dataSource);
    const result = await runApiKeyCommand(
      command,
      new ApiKeyService(new TypeOrmApiKeyRepository(dataSource.manager)),
    );
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    process.stderr.write(
      `create-api-key: ${error.fields.map((f) => `${f.field} ${f.message}`).join('; ')}\n`,
    );
    process.exitCode = 2;
  } finally {
    await dataSource.destroy();
  }
});
