import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';
import { AppError } from '../domain/app-error.js';

/** The authorization server's private signing keys, as a JWKS. */
export interface SigningKeys {
  readonly keys: JWK[];
}

/** File names inside DATA_DIR. */
export const SIGNING_KEYS_FILE = 'oauth-signing-keys.json';
export const COOKIE_KEYS_FILE = 'oauth-cookie-keys.json';

const signingKeysSchema = z.object({
  keys: z
    .array(z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), d: z.string(), kid: z.string() }))
    .min(1),
});
const cookieKeysSchema = z.array(z.string().min(32)).min(1);

/** Loads the ES256 signing JWKS from DATA_DIR, creating one key at first boot (mode 0600). */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const file = join(dataDir, SIGNING_KEYS_FILE);
  const existing = readSecretFile(file);
  if (existing !== undefined) return parsed(file, signingKeysSchema, existing) as SigningKeys;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  const jwks: SigningKeys = { keys: [{ ...jwk, kid, alg: 'ES256', use: 'sig' }] };
  writeSecretFile(file, JSON.stringify(jwks));
  return jwks;
}

/** Loads the keys that sign the provider's cookies, creating one at first boot (mode 0600). */
export function loadOrCreateCookieKeys(dataDir: string): string[] {
  const file = join(dataDir, COOKIE_KEYS_FILE);
  const existing = readSecretFile(file);
  if (existing !== undefined) return parsed(file, cookieKeysSchema, existing);
  const keys = [randomBytes(32).toString('base64url')];
  writeSecretFile(file, JSON.stringify(keys));
  return keys;
}

/** The public half of the signing keys, for the resource server's checks. */
export function publicKeys(signing: SigningKeys): { keys: JWK[] } {
  return { keys: signing.keys.map(({ d: _d, ...publicPart }) => publicPart) };
}

function readSecretFile(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AppError(
      'internal',
      `${file} is readable by other users (mode ${mode.toString(8)}). Run: chmod 600 ${file}`,
    );
  }
  return readFileSync(file, 'utf8');
}

function writeSecretFile(file: string, text: string): void {
  // 'wx' fails if another process created it meanwhile; the mode applies at creation, umask can only narrow it.
  writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
}

function parsed<T>(file: string, schema: z.ZodType<T>, text: string): T {
  const result = schema.safeParse(JSON.parse(text));
  if (!result.success)
    throw new AppError('internal', `${file} is not a valid key file: ${result.error.message}`);
  return result.data;
}
