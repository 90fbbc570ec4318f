import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The signing algorithm of the dev issuer: ES256 keys are small and fast to generate. */
export const DEV_ALGORITHM = 'ES256';
const KEY_FILE = 'dev-issuer.es256.jwk.json';

function isPrivateEcJwk(value: unknown): value is JWK & { kid: string; d: string } {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return (
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    ['x', 'y', 'd', 'kid'].every((member) => typeof jwk[member] === 'string')
  );
}

async function readKey(file: string): Promise<JWK & { kid: string; d: string }> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isPrivateEcJwk(parsed))
    throw new Error(`${file} is not a P-256 private JWK; delete it to get a new key`);
  return parsed;
}

/**
 * The dev issuer's private JWK: read from `dir`, or generated on first use and kept there (mode
 * 0600) so that every local service and the token CLI share it across restarts. Creation is
 * atomic (write a temp file, then hard-link it into place), so services starting together end
 * up with the same key rather than overwriting each other's.
 */
export async function loadOrCreateDevKey(dir: string): Promise<JWK & { kid: string; d: string }> {
  const file = path.resolve(dir, KEY_FILE);
  try {
    return await readKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, JSON.stringify({ ...jwk, kid, alg: DEV_ALGORITHM, use: 'sig' }), { mode: 0o600 });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
  return readKey(file);
}
