import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

// The first answer to an Idempotency-Key carries the citizen's secret, which is otherwise stored only as a
// hash. So the answer is kept sealed (AES-256-GCM) under a key derived from the Idempotency-Key, and the row
// is found by a hash of that key: the table alone gives neither the secret nor the keys. Clients should send
// a random UUID as the key (draft-ietf-httpapi-idempotency-key-header), which makes the derived key strong.

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What the idempotency table stores instead of the key itself. */
export function idempotencyLookup(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
}

function sealingKey(idempotencyKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', idempotencyKey, 'ioc.reports', 'idempotent-receipt.v1', 32));
}

/** The answer sealed for storage, as base64 `iv | tag | ciphertext`. */
export function sealReceipt(idempotencyKey: string, receipt: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, sealingKey(idempotencyKey), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(receipt), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The stored answer, opened with the same Idempotency-Key; throws if it was sealed under another. */
export function openReceipt<T>(idempotencyKey: string, sealed: string): T {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv(ALGORITHM, sealingKey(idempotencyKey), bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  return JSON.parse(text.toString('utf8')) as T;
}
