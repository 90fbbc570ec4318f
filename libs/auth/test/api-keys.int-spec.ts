import { createDataSource, runMigrations } from '@ioc/database';
import { databaseUrl, uniqueSchema } from '@ioc/testing';
import type { DataSource } from 'typeorm';
import { ApiKeyService, CreateApiKeysTable1795400000000, TypeOrmApiKeyRepository } from '@ioc/auth';

// The SQL repository against the real Postgres, in a schema of its own (the way a service would
// own it): the migration, what a row holds, and the service's create/verify/revoke on top.

describe(TypeOrmApiKeyRepository.name, () => {
  const schema = uniqueSchema('apikeys');
  let dataSource: DataSource;
  let sut: TypeOrmApiKeyRepository;
  let apiKeys: ApiKeyService;

  beforeAll(async () => {
    dataSource = createDataSource({
      url: databaseUrl(),
      schema,
      migrations: [CreateApiKeysTable1795400000000],
    });
    await runMigrations(dataSource);
    sut = new TypeOrmApiKeyRepository(dataSource.manager);
    apiKeys = new ApiKeyService(sut);
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  it('creates api_keys in the data source’s own schema', async () => {
    const tables: { table_schema: string }[] = await dataSource.query(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'api_keys' AND table_schema = $1`,
      [schema],
    );

    expect(tables).toEqual([{ table_schema: schema }]);
  });

  it('stores a 32-byte hash and the scopes, never the plaintext', async () => {
    const created = await apiKeys.create('camera-vendor-a', [
      'ioc.camera.detections',
      'ioc.camera.heartbeats',
    ]);

    const rows: Record<string, unknown>[] = await dataSource.query(
      `SELECT * FROM "${schema}".api_keys WHERE id = $1`,
      [created.id],
    );

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: created.id,
      integrator_id: 'camera-vendor-a',
      scopes: ['ioc.camera.detections', 'ioc.camera.heartbeats'],
      revoked_at: null,
      created_at: expect.any(Date),
    });
    expect((rows[0].secret_hash as Buffer).length).toBe(32);
    const secret = created.plaintext.slice(`ioc_${created.id}_`.length);
    expect(JSON.stringify(rows[0])).not.toContain(secret);
  });

  it('verifies, then stops verifying once revoked', async () => {
    const created = await apiKeys.create('hotline');

    await expect(apiKeys.verify(created.plaintext)).resolves.toMatchObject({
      integratorId: 'hotline',
      apiKeyId: created.id,
    });
    await expect(apiKeys.revoke(created.id)).resolves.toBe(true);
    await expect(apiKeys.verify(created.plaintext)).resolves.toBeNull();
  });

  it('keeps the first revocation time when revoked twice', async () => {
    const created = await apiKeys.create('zalo');
    await sut.revoke(created.id);
    const first = (await sut.findById(created.id))?.revokedAt;

    await expect(sut.revoke(created.id)).resolves.toBe(true);

    expect(first).toBeInstanceOf(Date);
    expect((await sut.findById(created.id))?.revokedAt).toEqual(first);
  });

  it('lists every key oldest first, revoked ones with their time, never a hash', async () => {
    const first = await apiKeys.create('list-a', ['ioc.*']);
    const second = await apiKeys.create('list-b');
    await apiKeys.revoke(second.id);

    const listed = (await apiKeys.list()).filter((key) => [first.id, second.id].includes(key.id));

    expect(listed).toEqual([
      {
        id: first.id,
        integratorId: 'list-a',
        scopes: ['ioc.*'],
        createdAt: expect.any(Date),
        revokedAt: null,
      },
      {
        id: second.id,
        integratorId: 'list-b',
        scopes: [],
        createdAt: expect.any(Date),
        revokedAt: expect.any(Date),
      },
    ]);
    expect(listed[0].createdAt.getTime()).toBeLessThanOrEqual(listed[1].createdAt.getTime());
  });

  it('answers false and null for a key that does not exist', async () => {
    await expect(sut.revoke('0000000000000000')).resolves.toBe(false);
    await expect(sut.findById('0000000000000000')).resolves.toBeNull();
  });

  it('rejects a wrong secret for a stored id', async () => {
    const created = await apiKeys.create('portal');

    await expect(apiKeys.verify(`ioc_${created.id}_${'B'.repeat(43)}`)).resolves.toBeNull();
  });

  it('refuses a duplicate id and a hash of the wrong length', async () => {
    const created = await apiKeys.create('sensors');
    const record = await sut.findById(created.id);

    await expect(sut.insert({ ...record!, scopes: [] })).rejects.toThrow(/duplicate key/);
    await expect(
      sut.insert({ id: 'fedcba9876543210', integratorId: 'x', secretHash: Buffer.alloc(16), scopes: [] }),
    ).rejects.toThrow(/api_keys_secret_hash_length/);
  });

  it('works on the caller’s transaction and rolls back with it', async () => {
    const rolledBack = 'abcdefabcdefabcd';

    await expect(
      dataSource.transaction(async (manager) => {
        await new TypeOrmApiKeyRepository(manager).insert({
          id: rolledBack,
          integratorId: 'tx',
          secretHash: Buffer.alloc(32, 1),
          scopes: [],
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');

    await expect(sut.findById(rolledBack)).resolves.toBeNull();
  });
});
