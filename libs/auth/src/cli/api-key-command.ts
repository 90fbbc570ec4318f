import { databaseCommand, type DatabaseCommandOptions } from '@ioc/database';
import { parseArgs } from 'node:util';
import { apiKeyFieldErrors, ApiKeyService } from '../api-keys/api-key.service';
import type { ApiKeySummary } from '../api-keys/api-key.repository';
import { TypeOrmApiKeyRepository } from '../api-keys/typeorm-api-key.repository';
import { UsageError } from './token-command';

/** What a service tells the key command about itself; its `cli/api-key.ts` passes it to {@link apiKeyCommand}. */
export interface ApiKeyCommandTarget {
  /** The service's name, as `--service` names it. */
  service: string;
  /** The schema the service owns (overridable with DB_SCHEMA, as in the service) and its migrations. */
  defaultSchema: DatabaseCommandOptions['defaultSchema'];
  migrations: DatabaseCommandOptions['migrations'];
  /**
   * What the service grants by a key's scopes; absent when it grants by the integrator role alone, and then
   * `--scope` is refused rather than stored to no effect. A key of a service with scopes needs at least one.
   */
  scopes?: {
    /** For the usage text, e.g. `a topic it may publish to: …`. */
    description: string;
    accepts(scope: string): boolean;
  };
}

/** What the arguments ask for. */
export type ApiKeyCommand =
  | { action: 'create'; integratorId: string; scopes: string[] }
  | { action: 'revoke'; keyId: string }
  | { action: 'list' }
  | { action: 'help' };

const KEY_ID = /^[0-9a-f]{16}$/;

/** The usage text of the command for `target`. */
export function apiKeyUsage(target: ApiKeyCommandTarget): string {
  const scope = target.scopes
    ? `  --scope <scope>      ${target.scopes.description} (repeatable, at least one)\n`
    : `  (${target.service} grants by the integrator role alone: its keys carry no scope)\n`;
  return `Creates, lists or revokes integrator API keys of the ${target.service} service, in its own schema.

Usage: npm run api-key -- --service ${target.service} --integrator <id>${target.scopes ? ' --scope <scope> …' : ''}
       npm run api-key -- --service ${target.service} --list
       npm run api-key -- --service ${target.service} --revoke <key id>
   or, where only the build is: node dist/apps/${target.service}/src/cli/api-key.js <the same options>

  --integrator <id>    who the key is for (letters, digits, . _ : -)
${scope}  --list               every key: id, integrator, scopes, created, revoked
  --revoke <key id>    revokes the key with this id at once

Creating prints the key alone on stdout, once: only its hash is stored. Migrates the schema first, so a key
can be made before the service's first start. Reads DATABASE_URL and DB_SCHEMA (default ${target.defaultSchema}).`;
}

/**
 * Reads the command line of the key command for `target`.
 * @throws UsageError
 */
export function parseApiKeyCommand(args: readonly string[], target: ApiKeyCommandTarget): ApiKeyCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        service: { type: 'string' },
        integrator: { type: 'string' },
        scope: { type: 'string', multiple: true },
        list: { type: 'boolean', default: false },
        revoke: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.service !== undefined && values.service !== target.service) {
    throw new UsageError(`this is the ${target.service} key command; --service ${values.service} is another`);
  }
  if (values.help) return { action: 'help' };
  const actions = [values.integrator !== undefined, values.list, values.revoke !== undefined];
  if (actions.filter(Boolean).length !== 1) {
    throw new UsageError('name exactly one of --integrator <id>, --list or --revoke <key id>');
  }
  const scopes = values.scope ?? [];
  if (values.integrator === undefined && scopes.length > 0)
    throw new UsageError('--scope goes with --integrator');
  if (values.list) return { action: 'list' };
  if (values.revoke !== undefined) {
    if (!KEY_ID.test(values.revoke)) throw new UsageError('--revoke takes a key id: 16 hex digits');
    return { action: 'revoke', keyId: values.revoke };
  }
  const integratorId = values.integrator ?? '';
  if (!target.scopes && scopes.length > 0) {
    throw new UsageError(`${target.service} grants by the integrator role alone: its keys carry no scope`);
  }
  if (target.scopes && scopes.length === 0) {
    throw new UsageError(`a ${target.service} key needs at least one --scope: ${target.scopes.description}`);
  }
  const foreign = scopes.filter((scope) => !target.scopes?.accepts(scope));
  if (foreign.length > 0) throw new UsageError(`not a scope of ${target.service}: ${foreign.join(', ')}`);
  const problems = apiKeyFieldErrors(integratorId, scopes);
  if (problems.length > 0) {
    throw new UsageError(problems.map((problem) => `${problem.field} ${problem.message}`).join('; '));
  }
  return { action: 'create', integratorId, scopes };
}

/** What a run prints: `stdout` is the result (the key alone when one is created), `stderr` what it did. */
export interface ApiKeyCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a parsed command (not `help`) against a service's keys. */
export async function runApiKeyCommand(
  command: Exclude<ApiKeyCommand, { action: 'help' }>,
  apiKeys: Pick<ApiKeyService, 'create' | 'revoke' | 'list'>,
  schema: string,
): Promise<ApiKeyCommandResult> {
  switch (command.action) {
    case 'create': {
      const created = await apiKeys.create(command.integratorId, command.scopes);
      const scopes = command.scopes.length > 0 ? ` (scopes: ${command.scopes.join(', ')})` : '';
      return {
        stdout: created.plaintext,
        stderr: `${schema}: created key ${created.id} for ${command.integratorId}${scopes}; it is shown only now\n`,
        exitCode: 0,
      };
    }
    case 'revoke':
      return (await apiKeys.revoke(command.keyId))
        ? { stdout: `${schema}: revoked key ${command.keyId}`, stderr: '', exitCode: 0 }
        : { stdout: `${schema}: no key with id ${command.keyId}`, stderr: '', exitCode: 1 };
    case 'list':
      return { stdout: listing(await apiKeys.list()), stderr: '', exitCode: 0 };
  }
}

function listing(keys: readonly ApiKeySummary[]): string {
  const rows = keys.map((key) =>
    [
      key.id,
      key.integratorId,
      key.scopes.length > 0 ? key.scopes.join(',') : '-',
      key.createdAt.toISOString(),
      key.revokedAt?.toISOString() ?? '-',
    ].join('\t'),
  );
  return ['id\tintegrator\tscopes\tcreated\trevoked', ...rows].join('\n');
}

/**
 * Body of a service's `cli/api-key.ts`: reads the arguments (a mistake prints the usage and exits 2), then, on
 * the service's own schema migrated by the service's own migrations (the way `cli/migrate.ts` does it),
 * creates, lists or revokes a key.
 */
export function apiKeyCommand(
  target: ApiKeyCommandTarget,
  args: readonly string[] = process.argv.slice(2),
): Promise<void> {
  let command: ApiKeyCommand;
  try {
    command = parseApiKeyCommand(args, target);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`api-key: ${error.message}\n\n${apiKeyUsage(target)}\n`);
    process.exitCode = 2;
    return Promise.resolve();
  }
  if (command.action === 'help') {
    process.stdout.write(`${apiKeyUsage(target)}\n`);
    return Promise.resolve();
  }
  const run = command;
  return databaseCommand({
    defaultSchema: target.defaultSchema,
    migrations: target.migrations,
    task: async (dataSource, schema) => {
      const apiKeys = new ApiKeyService(new TypeOrmApiKeyRepository(dataSource.manager));
      const result = await runApiKeyCommand(run, apiKeys, schema);
      process.stderr.write(result.stderr);
      process.exitCode = result.exitCode;
      return result.stdout;
    },
  });
}
