import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fchownSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';
import { AppError } from '../domain/app-error.js';
import { syncPath } from '../platform/sync-path.js';

/** The authorization server's private signing keys, as a JWKS. */
export interface SigningKeys {
  readonly keys: JWK[];
}

/** File names inside DATA_DIR. */
export const SIGNING_KEYS_FILE = 'oauth-signing-keys.json';
export const COOKIE_KEYS_FILE = 'oauth-cookie-keys.json';

// `retired` records when each previous key stopped signing (ISO time by kid); the first key signs.
const signingKeysSchema = z.object({
  keys: z
    .array(z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256'), d: z.string(), kid: z.string() }))
    .min(1),
  retired: z.record(z.string(), z.iso.datetime()).optional(),
});
type SigningKeysFile = z.infer<typeof signingKeysSchema>;
const cookieKeysSchema = z.array(z.string().min(32)).min(1);

/** Loads the ES256 signing JWKS from DATA_DIR, creating one key at first boot (mode 0600). */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const file = join(dataDir, SIGNING_KEYS_FILE);
  const existing = readSecretFile(file);
  if (existing !== undefined) return { keys: parsed(file, signingKeysSchema, existing).keys as JWK[] };
  const jwks: SigningKeys = { keys: [await newSigningKey()] };
  writeSecretFile(file, JSON.stringify(jwks));
  return jwks;
}

/** What `rotateSigningKeys` did, by kid. */
export interface KeyRotation {
  readonly signing: string;
  /** Previous keys still published, so the tokens they signed keep verifying until they expire. */
  readonly kept: readonly string[];
  /** Keys retired longer than the retention ago: nothing they signed is still valid. */
  readonly dropped: readonly string[];
}

/**
 * Makes a new ES256 key the signing key (first in the file) and keeps the previous ones for
 * `retainSeconds` after they stopped signing. Replaces the file atomically (mode 0600); a running
 * server reads it at start.
 */
export async function rotateSigningKeys(
  dataDir: string,
  options: { readonly now: Date; readonly retainSeconds: number },
): Promise<KeyRotation> {
  const file = join(dataDir, SIGNING_KEYS_FILE);
  const text = readSecretFile(file);
  const current: SigningKeysFile =
    text === undefined ? { keys: [], retired: {} } : parsed(file, signingKeysSchema, text);
  const now = options.now.getTime();
  const retired: Record<string, string> = {};
  const kept: JWK[] = [];
  const dropped: string[] = [];
  for (const [index, key] of current.keys.entries()) {
    // The key that signed until now retires now; so does a key without a record (an edited file).
    const since = (index === 0 ? undefined : current.retired?.[key.kid]) ?? options.now.toISOString();
    if (now - Date.parse(since) > options.retainSeconds * 1000) {
      dropped.push(key.kid);
      continue;
    }
    kept.push(key as JWK);
    retired[key.kid] = since;
  }
  const signing = await newSigningKey();
  mkdirSync(dataDir, { recursive: true });
  replaceSecretFile(file, JSON.stringify({ keys: [signing, ...kept], retired }));
  return { signing: signing.kid ?? '', kept: kept.map((k) => k.kid ?? ''), dropped };
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: 'ES256', use: 'sig' };
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

const ACP_SIGNING_ROOT_FILE = 'acp-signing-root.key';
/** The Web Push (VAPID, RFC 8292) key pair the order pages' notifications are signed with. */
export const VAPID_KEYS_FILE = 'web-push-vapid.json';
/** Every secret file a shop that has run keeps in DATA_DIR. */
export const KEY_FILES: readonly string[] = [
  SIGNING_KEYS_FILE,
  COOKIE_KEYS_FILE,
  ACP_SIGNING_ROOT_FILE,
  VAPID_KEYS_FILE,
];

/** A VAPID key pair as Web Push uses it: the uncompressed P-256 point and the private scalar, base64url. */
export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

const vapidKeysSchema = z.object({
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{87}$/),
  privateKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/**
 * Loads the VAPID key pair from DATA_DIR, creating it at first start (mode 0600). Browsers bind each
 * subscription to the public key, so it is kept: a new pair would silence every open subscription.
 */
export function loadOrCreateVapidKeys(dataDir: string): VapidKeys {
  const file = join(dataDir, VAPID_KEYS_FILE);
  const existing = readSecretFile(file);
  if (existing !== undefined) return parsed(file, vapidKeysSchema, existing);
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x ?? '', 'base64url'),
    Buffer.from(jwk.y ?? '', 'base64url'),
  ]);
  const keys = { publicKey: point.toString('base64url'), privateKey: jwk.d ?? '' };
  writeSecretFile(file, JSON.stringify(keys));
  return keys;
}

/**
 * The server secret ACP request-signing secrets are derived from (one per API key), created at
 * first use (mode 0600). Losing it only means re-issuing signing keys; it never leaves DATA_DIR.
 */
export function loadOrCreateAcpSigningRoot(dataDir: string): string {
  const file = join(dataDir, ACP_SIGNING_ROOT_FILE);
  const existing = readSecretFile(file);
  if (existing !== undefined) return existing.trim();
  const root = randomBytes(32).toString('base64url');
  try {
    writeSecretFile(file, root);
  } catch (error) {
    // Another process (the CLI, the server) created it first: use theirs.
    const created = readSecretFile(file);
    if (created !== undefined) return created.trim();
    throw error;
  }
  return root;
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

/** Writes a temporary file (0600) beside `file`, flushes it, and renames it over `file`: all or nothing. */
function replaceSecretFile(file: string, text: string): void {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  // Run with sudo, the new file would belong to root and the service's user could no longer read it.
  const owner = process.getuid?.() === 0 && existsSync(file) ? statSync(file) : undefined;
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      if (owner !== undefined) fchownSync(fd, owner.uid, owner.gid);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  // The rename itself survives a power cut only once the directory is flushed too.
  syncPath(dirname(file));
}

function parsed<T>(file: string, schema: z.ZodType<T>, text: string): T {
  const result = schema.safeParse(JSON.parse(text));
  if (!result.success)
    throw new AppError('internal', `${file} is not a valid key file: ${result.error.message}`);
  return result.data;
}
