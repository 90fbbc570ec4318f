// PostgreSQL for development and tests: the one the user points at, the machine's own, or one started
// from Debian's binaries with its data under .run/ (docs/architecture.md, "Local infrastructure").
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { LOG_DIR, RUN_DIR, maskUrl, rel, run, say } from './util.mjs';

const DEFAULT_PROBE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_PORT = 54329;
const DEBIAN_ROOT = '/usr/lib/postgresql';
// A Unix socket path must fit in sun_path (108 bytes on Linux) with ".s.PGSQL.<port>" appended.
const MAX_SOCKET_DIR = 90;

/** True when `SELECT 1` succeeds at `url` within a few seconds. */
export async function postgresAnswers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const ownUrlOf = (port) => `postgres://postgres@127.0.0.1:${port}/postgres`;

/**
 * The URL of a Postgres that answers, looked for as `npm start` does: DATABASE_URL, then the probe URL
 * (127.0.0.1:5432), then the one this project starts on IOC_PG_PORT. Undefined when none answers.
 */
export async function findPostgres({
  port = Number(process.env.IOC_PG_PORT ?? DEFAULT_PORT),
  probeUrl = process.env.IOC_PG_PROBE_URL ?? DEFAULT_PROBE_URL,
} = {}) {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    if (await postgresAnswers(fromEnv)) {
      say(`using DATABASE_URL ${maskUrl(fromEnv)}`);
      return fromEnv;
    }
    say(`DATABASE_URL ${maskUrl(fromEnv)} does not answer; looking further`);
  }
  if (await postgresAnswers(probeUrl)) {
    say(`found Postgres at ${hostOf(probeUrl)}`);
    return probeUrl;
  }
  if (await postgresAnswers(ownUrlOf(port))) {
    say(`found Postgres at 127.0.0.1:${port} (started earlier by this project)`);
    return ownUrlOf(port);
  }
  return undefined;
}

/**
 * The URL of the Postgres `npm start` uses, for a one-shot command (`npm run seed`, `npm run api-key`), also set
 * as DATABASE_URL for what the command runs; exits 1 saying what to do when none answers.
 */
export async function usePostgresOrExit() {
  const url = await findPostgres();
  if (!url) {
    say('no Postgres answers: start one with npm start or npm run infra -- up, or set DATABASE_URL');
    process.exit(1);
  }
  process.env.DATABASE_URL = url;
  return url;
}

/**
 * Finds or starts PostgreSQL and says in one line which one is used: `DATABASE_URL` if it answers, else
 * `probeUrl` (the machine's usual 127.0.0.1:5432), else one this project started earlier on `port`, else it
 * starts one from /usr/lib/postgresql/<version>/bin with trust auth on 127.0.0.1 only.
 * `stop()` stops only a server this call started.
 */
export async function ensurePostgres({
  dataDir = path.join(RUN_DIR, 'postgres', 'data'),
  port = Number(process.env.IOC_PG_PORT ?? DEFAULT_PORT),
  probeUrl = process.env.IOC_PG_PROBE_URL ?? DEFAULT_PROBE_URL,
  logFile = path.join(LOG_DIR, 'postgres.log'),
} = {}) {
  const notStarted = (url) => ({ url, started: false, binDir: undefined, dataDir: undefined, stop: noop });
  const found = await findPostgres({ port, probeUrl });
  if (found) return notStarted(found);

  return startPostgres({ dataDir, port, logFile });
}

/**
 * Starts a server of our own from /usr/lib/postgresql/<version>/bin on `port` with its data in `dataDir`
 * (initialized on first use), whatever else answers elsewhere: the fault suite owns the server it crashes and
 * starts again. `stop()` is a fast shutdown.
 */
export async function startPostgres({ dataDir, port, logFile }) {
  const binDir = findDebianBinaries();
  const server = { binDir, dataDir };
  await startServer({ ...server, port, logFile });
  say(`started Postgres from ${binDir} on 127.0.0.1:${port} (data ${rel(dataDir)}, log ${rel(logFile)})`);
  return {
    url: ownUrlOf(port),
    started: true,
    binDir,
    dataDir,
    stop: () => stopPostgres(server),
  };
}

/**
 * Stops a server started by {@link ensurePostgres} (also from another process, e.g. `infra down`). `mode` is
 * pg_ctl's: `fast` (the default) ends the sessions and checkpoints; `immediate` ends every process at once,
 * a crash after which the next start recovers from the WAL.
 */
export async function stopPostgres({ binDir, dataDir }, { mode = 'fast' } = {}) {
  if (!existsSync(path.join(dataDir, 'postmaster.pid'))) return false;
  await run(...asOwner(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']));
  return true;
}

async function startServer({ binDir, dataDir, port, logFile }) {
  const owner = await ownerIds();
  const socketDir = socketDirFor(dataDir);
  for (const dir of [dataDir, socketDir]) {
    // Only the leaf is private: the postgres user must still traverse the parents.
    mkdirSync(path.dirname(dir), { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  mkdirSync(path.dirname(logFile), { recursive: true });
  if (!existsSync(logFile)) writeFileSync(logFile, '');
  // As root, the server must run as the `postgres` system user, who must own its data, socket and log.
  if (owner) for (const file of [dataDir, socketDir, logFile]) chownSync(file, owner.uid, owner.gid);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const initdb = path.join(binDir, 'initdb');
    const args = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'];
    await run(...asOwner(initdb, args)).catch((error) => {
      throw new Error(`${error.message}\n(the postgres user must be able to reach ${dataDir})`);
    });
  }
  // Options go on the command line, not into postgresql.conf, so a changed IOC_PG_PORT takes effect.
  const options = `-p ${port} -k '${socketDir}' -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const pgCtl = path.join(binDir, 'pg_ctl');
  await run(
    ...asOwner(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options]),
  ).catch((error) => {
    throw new Error(`could not start Postgres (see ${rel(logFile)}):\n${error.message}`);
  });
}

/** The bin directory of the newest PostgreSQL server Debian installed; throws saying what to install. */
export function findDebianBinaries() {
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((version) => existsSync(path.join(DEBIAN_ROOT, version, 'bin', 'pg_ctl')))
        .filter((version) => existsSync(path.join(DEBIAN_ROOT, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'no PostgreSQL found: nothing answers at DATABASE_URL or 127.0.0.1:5432, and there are no server ' +
        `binaries under ${DEBIAN_ROOT}/<version>/bin. Install them (Debian: apt-get install postgresql) ` +
        'or set DATABASE_URL to a running server.',
    );
  }
  return path.join(DEBIAN_ROOT, versions[0], 'bin');
}

/** Root may not run a Postgres server: as root we act as the `postgres` system user instead. */
async function ownerIds() {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    throw new Error('running as root, but there is no `postgres` system user to run the server as');
  }
}

function asOwner(command, args) {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function socketDirFor(dataDir) {
  const inRun = path.join(path.dirname(dataDir), 'socket');
  return inRun.length <= MAX_SOCKET_DIR
    ? inRun
    : path.join(os.tmpdir(), `ioc-pg-${process.getuid?.() ?? 'u'}`);
}

function hostOf(url) {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 5432}`;
}

async function noop() {}
