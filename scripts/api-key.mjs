// `npm run api-key -- --service <service> …`: the one integrator-key command of every service that takes
// API keys. Each such service has `apps/<service>/src/cli/api-key.ts`, which runs @ioc/auth's key command on
// the service's own schema with its own migrations; this picks it by --service and runs it with the same
// arguments (it checks --service again). Runs under tsx (see package.json).
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { usePostgresOrExit } from './infra/postgres.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const entryOf = (service) => path.join(ROOT, 'apps', service, 'src', 'cli', 'api-key.ts');
const services = readdirSync(path.join(ROOT, 'apps')).filter((name) => existsSync(entryOf(name)));

const { values } = parseArgs({ options: { service: { type: 'string' } }, strict: false });
if (typeof values.service !== 'string' || !services.includes(values.service)) {
  process.stderr.write(
    `api-key: name the service with --service ${services.join('|')}\n\n` +
      `Usage: npm run api-key -- --service <service> (--integrator <id> [--scope <scope> …] | --list | --revoke <key id>)\n` +
      `       npm run api-key -- --service <service> --help\n`,
  );
  process.exit(2);
}
// The service's own schema, in the Postgres `npm start` uses, unless DATABASE_URL names another.
await usePostgresOrExit();
await import(pathToFileURL(entryOf(values.service)).href);
