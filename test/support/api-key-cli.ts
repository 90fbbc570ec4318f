import { execFile } from 'node:child_process';
import path from 'node:path';
import { databaseUrl } from './env';

const ROOT = path.resolve(__dirname, '../..');

/** What the key command printed and how it exited. */
export interface ApiKeyCliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs `npm run api-key -- <args>` the way an operator does (the same script, through tsx, as a process of its
 * own) against the spec's Postgres and `schema`.
 */
export function apiKeyCli(args: readonly string[], schema: string): Promise<ApiKeyCliResult> {
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/api-key.mjs', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl(), DB_SCHEMA: schema } },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ stdout, stderr, exitCode });
      },
    );
  });
}
