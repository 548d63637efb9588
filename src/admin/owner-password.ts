import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Shortest owner password accepted (README, Configuration: ADMIN_PASSWORD). */
export const PASSWORD_MIN_LENGTH = 10;
/** Longest one: a bound on what one login makes scrypt chew on. */
export const PASSWORD_MAX_LENGTH = 200;

/** scrypt cost as log2(N), block size r and parallelism p. */
export interface ScryptCost {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/**
 * OWASP's password storage cheat sheet lists N=2^15, r=8, p=3 as equal to its N=2^17, r=8, p=1 minimum:
 * 32 MiB per hash instead of 128, which a Pi with other work to do can spare. About 0.3 s on a laptop core,
 * about a second on a Pi 4; a stored hash names its own cost, so a later build may raise this one.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { ln: 15, r: 8, p: 3 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** PHC string format: `$scrypt$ln=15,r=8,p=3$<salt>$<hash>`, both in unpadded base64. */
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{43})$/;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.ln;
  // Node refuses by default beyond 32 MiB; scrypt needs 128·N·r bytes plus a little.
  const maxmem = 128 * N * cost.r + 1024 * 1024 * cost.p + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { N, r: cost.r, p: cost.p, maxmem }, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}

/** Hashes a password with a fresh random salt; the result carries salt and cost. */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

/**
 * True when `password` is the one `stored` was made from. A stored string that is not ours, or asks
 * for an absurd cost (a tampered database), never matches rather than tying up the Pi.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (m === null || password.length > PASSWORD_MAX_LENGTH) return false;
  const cost = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (cost.ln < 10 || cost.ln > 20 || cost.r < 1 || cost.r > 16 || cost.p < 1 || cost.p > 16) return false;
  const expected = Buffer.from(m[5] ?? '', 'base64');
  const key = await derive(password, Buffer.from(m[4] ?? '', 'base64'), cost);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
