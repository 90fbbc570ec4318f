import { Injectable } from '@nestjs/common';
import { type FieldError, ValidationFailedError } from '@ioc/observability';
import type { Principal } from '../principal';
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from './api-key.format';
import { ApiKeyRepository, type ApiKeySummary } from './api-key.repository';

const INTEGRATOR_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const SCOPE = /^[A-Za-z0-9][A-Za-z0-9._:*-]{0,127}$/;

/** What is wrong with an integrator id and scopes a key would be created with; empty when they are usable. */
export function apiKeyFieldErrors(integratorId: string, scopes: readonly string[]): FieldError[] {
  return [
    ...(INTEGRATOR_ID.test(integratorId)
      ? []
      : [{ field: 'integratorId', message: 'must be a plain identifier' }]),
    ...scopes
      .map((scope, i) => ({ scope, i }))
      .filter(({ scope }) => !SCOPE.test(scope))
      .map(({ i }) => ({ field: `scopes.${i}`, message: 'must be a plain scope name' })),
  ];
}

/** A key as handed out once at creation. */
export interface CreatedApiKey {
  id: string;
  /** Shown to the integrator once; only its hash is stored. */
  plaintext: string;
}

/** Integrator API keys: created once, stored hashed, verified in constant time, revocable. */
@Injectable()
export class ApiKeyService {
  constructor(private readonly repository: ApiKeyRepository) {}

  /**
   * Creates a key for `integratorId`, limited to `scopes` (e.g. the topics it may publish to).
   * @throws ValidationFailedError for an unusable integrator id or scope
   */
  async create(integratorId: string, scopes: readonly string[] = []): Promise<CreatedApiKey> {
    const fields = apiKeyFieldErrors(integratorId, scopes);
    if (fields.length > 0) throw new ValidationFailedError(fields);
    const key = generateApiKey();
    await this.repository.insert({
      id: key.id,
      integratorId,
      secretHash: hashSecret(key.secret),
      scopes: [...new Set(scopes)],
    });
    return { id: key.id, plaintext: key.plaintext };
  }

  /**
   * The integrator a key belongs to, or null when the key is malformed, unknown, revoked or its
   * secret is wrong; callers cannot tell which, by design.
   */
  async verify(plaintext: string): Promise<Principal | null> {
    const parts = parseApiKey(plaintext);
    if (!parts) return null;
    const stored = await this.repository.findById(parts.id);
    if (!stored || stored.revokedAt !== null || !secretMatches(parts.secret, stored.secretHash)) return null;
    return {
      subject: stored.integratorId,
      roles: ['integrator'],
      kind: 'api-key',
      integratorId: stored.integratorId,
      scopes: stored.scopes,
      apiKeyId: stored.id,
    };
  }

  /** Revokes a key at once. False when no such key exists. */
  revoke(id: string): Promise<boolean> {
    return this.repository.revoke(id);
  }

  /** Every key with its integrator, scopes and dates, never a secret or its hash. */
  list(): Promise<ApiKeySummary[]> {
    return this.repository.list();
  }
}
