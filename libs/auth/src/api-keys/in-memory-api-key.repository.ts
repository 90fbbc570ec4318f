import {
  type ApiKeyRecord,
  ApiKeyRepository,
  type ApiKeySummary,
  type NewApiKey,
} from './api-key.repository';

/** An {@link ApiKeyRepository} in a Map, for unit specs of code that uses API keys. */
export class InMemoryApiKeyRepository extends ApiKeyRepository {
  private readonly keys = new Map<string, ApiKeyRecord & { createdAt: Date }>();

  async insert(key: NewApiKey): Promise<void> {
    if (this.keys.has(key.id)) throw new Error(`duplicate API key id ${key.id}`);
    this.keys.set(key.id, {
      ...key,
      secretHash: Buffer.from(key.secretHash),
      scopes: [...key.scopes],
      revokedAt: null,
      createdAt: new Date(),
    });
  }

  async findById(id: string): Promise<ApiKeyRecord | null> {
    const key = this.keys.get(id);
    if (!key) return null;
    const { createdAt: _createdAt, ...record } = key;
    return { ...record, secretHash: Buffer.from(key.secretHash) };
  }

  async revoke(id: string): Promise<boolean> {
    const key = this.keys.get(id);
    if (!key) return false;
    key.revokedAt ??= new Date();
    return true;
  }

  async list(): Promise<ApiKeySummary[]> {
    return [...this.keys.values()].map(({ secretHash: _secretHash, ...key }) => ({
      ...key,
      scopes: [...key.scopes],
    }));
  }
}
