import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Ids and citizen credentials, injected so tests can predict them. */
export abstract class IdGenerator {
  /** A report id (UUID). */
  abstract reportId(): string;
  /** A short code a citizen can read out on the phone, e.g. `HK7M-Q2XD-9P`. */
  abstract trackingCode(): string;
  /** The secret that, with the tracking code, lets the citizen confirm, reopen and rate. */
  abstract secret(): string;
}

// Crockford base32 without I, L, O, U: nothing a citizen can misread.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class RandomIdGenerator extends IdGenerator {
  reportId(): string {
    return randomUUID();
  }

  // 10 symbols = 50 random bits: collisions among millions of reports stay negligible, and the unique
  // constraint turns the rare one into an error rather than a shared code.
  trackingCode(): string {
    const bytes = randomBytes(10);
    const symbols = [...bytes].map((byte) => CODE_ALPHABET[byte & 31]).join('');
    return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
  }

  // 128 random bits: the secret is a bearer credential, so it must not be guessable.
  secret(): string {
    return randomBytes(16).toString('base64url');
  }
}

/** SHA-256 of a citizen secret; high-entropy secrets need no slow hash (as for API keys). */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time check of a presented secret against its stored hash. */
export function secretMatches(secret: string, hash: Buffer): boolean {
  const presented = hashSecret(secret);
  return presented.length === hash.length && timingSafeEqual(presented, hash);
}
