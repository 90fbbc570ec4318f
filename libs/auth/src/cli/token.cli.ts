// `npm run token -- --role operator`: prints a dev access token alone on stdout, so that
// `TOKEN=$(npm run -s token -- --role operator)` works. Runs under tsx, without Nest.
import { bootstrapOrExit } from '@ioc/observability';
import { mintDevToken, TOKEN_USAGE, UsageError } from './token-command';

void bootstrapOrExit(async () => {
  try {
    process.stdout.write(`${await mintDevToken(process.argv.slice(2), process.env)}\n`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`token: ${error.message}\n\n${TOKEN_USAGE}\n`);
    process.exitCode = 2;
  }
});
