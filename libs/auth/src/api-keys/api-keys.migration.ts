import { quotedSchema } from '@ioc/database';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates `api_keys` in the data source's schema, so any service that authenticates integrators
 * lists it among its migrations. Holds the SHA-256 of each secret, never the secret.
 */
export class CreateApiKeysTable1795400000000 implements MigrationInterface {
  readonly name = 'CreateApiKeysTable1795400000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = quotedSchema(runner);
    await runner.query(`
      CREATE TABLE ${schema}.api_keys (
        id text PRIMARY KEY,
        integrator_id text NOT NULL,
        secret_hash bytea NOT NULL CONSTRAINT api_keys_secret_hash_length CHECK (octet_length(secret_hash) = 32),
        scopes text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await runner.query(`CREATE INDEX api_keys_integrator_id_idx ON ${schema}.api_keys (integrator_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${quotedSchema(runner)}.api_keys`);
  }
}
