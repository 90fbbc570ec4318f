import type { DataSource } from 'typeorm';
import { postgresReadiness, ReadinessTimeoutError, runWithTimeout } from './readiness';

describe(runWithTimeout.name, () => {
  it('resolves when the check answers in time', async () => {
    await expect(runWithTimeout(async () => undefined, 1_000)).resolves.toBeUndefined();
  });

  it('passes the check failure on', async () => {
    await expect(
      runWithTimeout(async () => {
        throw new Error('ECONNREFUSED');
      }, 1_000),
    ).rejects.toThrow('ECONNREFUSED');
  });

  it('fails with a timeout when the check hangs', async () => {
    const hanging = () => new Promise<void>(() => undefined);

    await expect(runWithTimeout(hanging, 20)).rejects.toEqual(new ReadinessTimeoutError(20));
  });
});

describe(postgresReadiness.name, () => {
  it('runs SELECT 1 on the data source', async () => {
    const query = jest.fn().mockResolvedValue([{ '?column?': 1 }]);
    const sut = postgresReadiness({ query } as unknown as DataSource);

    await sut.check();

    expect(sut.name).toBe('postgres');
    expect(query).toHaveBeenCalledWith('SELECT 1');
  });

  it('rejects when the query fails', async () => {
    const sut = postgresReadiness({
      query: jest.fn().mockRejectedValue(new Error('terminating connection')),
    } as unknown as DataSource);

    await expect(sut.check()).rejects.toThrow('terminating connection');
  });
});
