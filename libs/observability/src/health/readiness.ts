import type { DataSource } from 'typeorm';

/** One thing a service needs before it can take traffic; `check` rejects when it is not there. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
  /** Overrides the module's per-check timeout. */
  timeoutMs?: number;
}

/** A check failed because it did not answer in time. */
export class ReadinessTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = ReadinessTimeoutError.name;
  }
}

/** Runs `check` and rejects with {@link ReadinessTimeoutError} if it takes longer than `timeoutMs`. */
export async function runWithTimeout(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadinessTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness of the service's Postgres: `SELECT 1` through its TypeORM DataSource. */
export function postgresReadiness(dataSource: DataSource, name = 'postgres'): ReadinessCheck {
  return {
    name,
    check: async () => {
      await dataSource.query('SELECT 1');
    },
  };
}
