import { ValidationFailedError } from '@ioc/observability';
import { hashSecret } from './api-key.format';
import { ApiKeyService } from './api-key.service';
import { InMemoryApiKeyRepository } from './in-memory-api-key.repository';

describe(ApiKeyService.name, () => {
  let repository: InMemoryApiKeyRepository;
  let sut: ApiKeyService;

  beforeEach(() => {
    repository = new InMemoryApiKeyRepository();
    sut = new ApiKeyService(repository);
  });

  it('creates a key of the form ioc_<id>_<secret> and stores only the hash of its secret', async () => {
    const created = await sut.create('camera-vendor-a', ['ioc.camera.detections']);

    expect(created.plaintext).toMatch(/^ioc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.plaintext.startsWith(`ioc_${created.id}_`)).toBe(true);
    const stored = await repository.findById(created.id);
    const secret = created.plaintext.slice(`ioc_${created.id}_`.length);
    expect(stored).toEqual({
      id: created.id,
      integratorId: 'camera-vendor-a',
      secretHash: hashSecret(secret),
      scopes: ['ioc.camera.detections'],
      revokedAt: null,
    });
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('verifies a key to its integrator', async () => {
    const created = await sut.create('hotline', ['ioc.reports.submissions']);

    await expect(sut.verify(created.plaintext)).resolves.toEqual({
      subject: 'hotline',
      roles: ['integrator'],
      kind: 'api-key',
      integratorId: 'hotline',
      scopes: ['ioc.reports.submissions'],
      apiKeyId: created.id,
    });
  });

  it('makes every key different', async () => {
    const keys = await Promise.all(Array.from({ length: 20 }, () => sut.create('zalo')));

    expect(new Set(keys.map((key) => key.plaintext)).size).toBe(20);
    expect(new Set(keys.map((key) => key.id)).size).toBe(20);
  });

  it('rejects a wrong secret for an existing id', async () => {
    const created = await sut.create('zalo');
    const wrong = `ioc_${created.id}_${'A'.repeat(43)}`;

    await expect(sut.verify(wrong)).resolves.toBeNull();
  });

  it('rejects a revoked key, and keeps it revoked', async () => {
    const created = await sut.create('zalo');

    await expect(sut.revoke(created.id)).resolves.toBe(true);
    await expect(sut.revoke(created.id)).resolves.toBe(true);

    await expect(sut.verify(created.plaintext)).resolves.toBeNull();
  });

  it('answers false when revoking a key that does not exist', async () => {
    await expect(sut.revoke('0123456789abcdef')).resolves.toBe(false);
  });

  it.each([
    [''],
    ['ioc_'],
    ['ioc_0123456789abcdef'],
    ['ioc_0123456789ABCDEF_' + 'a'.repeat(43)],
    ['ioc_0123456789abcdef_' + 'a'.repeat(42)],
    ['ioc_0123456789abcdef_' + 'a'.repeat(44)],
    ['xyz_0123456789abcdef_' + 'a'.repeat(43)],
    ['ioc_0123456789abcdef_' + 'a'.repeat(42) + '='],
    ['Bearer ioc_0123456789abcdef_' + 'a'.repeat(43)],
    ['x'.repeat(100_000)],
  ])('rejects the malformed key %j without a lookup', async (plaintext) => {
    const findById = jest.spyOn(repository, 'findById');

    await expect(sut.verify(plaintext)).resolves.toBeNull();
    expect(findById).not.toHaveBeenCalled();
  });

  it('rejects a well-formed key nobody created', async () => {
    await expect(sut.verify(`ioc_0123456789abcdef_${'a'.repeat(43)}`)).resolves.toBeNull();
  });

  it('refuses unusable integrator ids and scopes, naming them', async () => {
    const error = await sut.create(' bad id', ['ok.scope', 'no spaces']).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).fields).toEqual([
      { field: 'integratorId', message: 'must be a plain identifier' },
      { field: 'scopes.1', message: 'must be a plain scope name' },
    ]);
  });
});
