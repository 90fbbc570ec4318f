import type { ApiKeyService } from '@ioc/auth';
import { parseArgs } from 'node:util';
import { INGEST_TOPICS } from '../ingest.service';

export const API_KEY_USAGE = `Creates or revokes an integrator API key for intake's HTTP and NGSI-LD ingest.

Usage: npx tsx apps/intake/src/ingest/cli/create-api-key.ts --integrator <id> (--topic <topic> … | --all-topics)
       npx tsx apps/intake/src/ingest/cli/create-api-key.ts --revoke <key id>

  --integrator <id>   who the key is for (letters, digits, . _ : -)
  --topic <topic>     a topic the key may publish to (repeatable): ${INGEST_TOPICS.join(', ')},
                      or a prefix ending in * such as ioc.camera.*
  --all-topics        every inbound topic (scope ioc.*)
  --revoke <key id>   revokes the key with this id at once

Prints the key alone on stdout (shown once; only its hash is stored) and its id on stderr.
Reads DATABASE_URL and DB_SCHEMA (default intake) like the service.`;

/** A command-line mistake: reported with the usage text and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = UsageError.name;
  }
}

/** What the arguments ask for. */
export type ApiKeyCommand =
  { action: 'create'; integratorId: string; scopes: string[] } | { action: 'revoke'; keyId: string };

/**
 * Reads the command line.
 * @throws UsageError
 */
export function parseApiKeyCommand(args: readonly string[]): ApiKeyCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        integrator: { type: 'string' },
        topic: { type: 'string', multiple: true },
        'all-topics': { type: 'boolean', default: false },
        revoke: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.revoke !== undefined) {
    if (values.integrator !== undefined || values.topic !== undefined || values['all-topics']) {
      throw new UsageError('--revoke takes no other option');
    }
    return { action: 'revoke', keyId: values.revoke };
  }
  if (!values.integrator) throw new UsageError('--integrator <id> is required');
  const topics = values.topic ?? [];
  if (topics.length === 0 && !values['all-topics']) {
    throw new UsageError('name the topics the key may publish to (--topic) or pass --all-topics');
  }
  const unknown = topics.filter(
    (topic) => !topic.endsWith('*') && !(INGEST_TOPICS as readonly string[]).includes(topic),
  );
  if (unknown.length > 0) throw new UsageError(`not an inbound topic: ${unknown.join(', ')}`);
  return {
    action: 'create',
    integratorId: values.integrator,
    scopes: values['all-topics'] ? ['ioc.*'] : topics,
  };
}

/** Runs the command; returns what to print on stdout and stderr. */
export async function runApiKeyCommand(
  command: ApiKeyCommand,
  apiKeys: Pick<ApiKeyService, 'create' | 'revoke'>,
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  if (command.action === 'revoke') {
    const revoked = await apiKeys.revoke(command.keyId);
    return revoked
      ? { stdout: '', stderr: `revoked key ${command.keyId}\n`, exitCode: 0 }
      : { stdout: '', stderr: `no key with id ${command.keyId}\n`, exitCode: 1 };
  }
  const created = await apiKeys.create(command.integratorId, command.scopes);
  return {
    stdout: `${created.plaintext}\n`,
    stderr: `created key ${created.id} for ${command.integratorId} (scopes: ${command.scopes.join(', ')})\n`,
    exitCode: 0,
  };
}
