import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// `ioc_<id>_<secret>`: the id (8 random bytes, hex) finds the row, the secret (32 random bytes,
// base64url, 256 bits) proves possession. The prefix makes leaked keys easy to spot by scanners.
const PLAINTEXT = /^ioc_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const MAX_PLAINTEXT_LENGTH = 64;

/** The parts of a plaintext key. */
export interface ApiKeyParts {
  id: string;
  secret: string;
}

/** A fresh random key. */
export function generateApiKey(): ApiKeyParts & { plaintext: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, plaintext: `ioc_${id}_${secret}` };
}

/** Splits a plaintext key, or returns undefined when it is not one. */
export function parseApiKey(plaintext: string): ApiKeyParts | undefined {
  if (plaintext.length > MAX_PLAINTEXT_LENGTH) return undefined;
  const match = PLAINTEXT.exec(plaintext);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

/**
 * SHA-256 of the secret. A fast hash suffices (no bcrypt/argon2): the secret is 256 random bits,
 * not a password, so there is nothing to brute-force from a leaked hash.
 */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time comparison of the presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const presented = hashSecret(secret);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
