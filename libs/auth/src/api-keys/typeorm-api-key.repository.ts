import { qualifiedTable } from '@ioc/database';
import type { EntityManager } from 'typeorm';
import {
  type ApiKeyRecord,
  ApiKeyRepository,
  type ApiKeySummary,
  type NewApiKey,
} from './api-key.repository';

interface ApiKeyRow {
  id: string;
  integrator_id: string;
  secret_hash: Buffer;
  scopes: string[];
  revoked_at: Date | null;
}

type ApiKeySummaryRow = Omit<ApiKeyRow, 'secret_hash'> & { created_at: Date };

/**
 * {@link ApiKeyRepository} on the `api_keys` table of the manager's schema (created by
 * {@link CreateApiKeysTable1795400000000}). Plain SQL: five statements need no entity metadata.
 */
export class TypeOrmApiKeyRepository extends ApiKeyRepository {
  constructor(private readonly manager: EntityManager) {
    super();
  }

  private get table(): string {
    return qualifiedTable(this.manager, 'api_keys');
  }

  async insert(key: NewApiKey): Promise<void> {
    await this.manager.query(
      `INSERT INTO ${this.table} (id, integrator_id, secret_hash, scopes) VALUES ($1, $2, $3, $4)`,
      [key.id, key.integratorId, key.secretHash, [...key.scopes]],
    );
  }

  async findById(id: string): Promise<ApiKeyRecord | null> {
    const rows: ApiKeyRow[] = await this.manager.query(
      `SELECT id, integrator_id, secret_hash, scopes, revoked_at FROM ${this.table} WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      integratorId: row.integrator_id,
      secretHash: row.secret_hash,
      scopes: row.scopes,
      revokedAt: row.revoked_at,
    };
  }

  async revoke(id: string): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.manager.query(
      `UPDATE ${this.table} SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  async list(): Promise<ApiKeySummary[]> {
    const rows: ApiKeySummaryRow[] = await this.manager.query(
      `SELECT id, integrator_id, scopes, created_at, revoked_at FROM ${this.table} ORDER BY created_at, id`,
    );
    return rows.map((row) => ({
      id: row.id,
      integratorId: row.integrator_id,
      scopes: row.scopes,
      createdAt: row.created_at,
      revokedAt: row.revoked_at,
    }));
  }
}
