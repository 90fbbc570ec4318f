/** A stored API key: the SHA-256 of its secret, never the secret. */
export interface ApiKeyRecord {
  id: string;
  integratorId: string;
  secretHash: Buffer;
  scopes: readonly string[];
  revokedAt: Date | null;
}

/** A key to store; the store stamps creation time itself. */
export type NewApiKey = Omit<ApiKeyRecord, 'revokedAt'>;

/** A stored key as an operator sees it in a listing: everything but the hash. */
export interface ApiKeySummary extends Omit<ApiKeyRecord, 'secretHash'> {
  createdAt: Date;
}

/** Port: persistence of integrator API keys (table `api_keys` in the service's schema). */
export abstract class ApiKeyRepository {
  abstract insert(key: NewApiKey): Promise<void>;
  abstract findById(id: string): Promise<ApiKeyRecord | null>;
  /** Marks the key revoked (keeping the first revocation time). False when no such key exists. */
  abstract revoke(id: string): Promise<boolean>;
  /** Every key, revoked ones included, oldest first. */
  abstract list(): Promise<ApiKeySummary[]>;
}
