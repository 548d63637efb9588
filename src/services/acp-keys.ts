import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../domain/app-error.js';
import type { Clock } from '../platform/clock.js';
import type { Ids } from '../platform/ids.js';
import type { AcpKey, AcpKeysRepo } from '../store/acp-keys-repo.js';

export type { AcpKey } from '../store/acp-keys-repo.js';

/** Every secret starts with this, so a leaked one is recognisable (and scanners can find it). */
const SECRET_PREFIX = 'cpk_';
/** How often keys revoked by another process (the CLI) are looked for, in milliseconds. */
const EXTERNAL_CHECK_MS = 250;
/** Verified secrets kept in memory; a caller uses one key over and over. */
const MAX_CACHED = 256;
const MAX_NAME_LENGTH = 80;

/** The API keys agent platforms use for the ACP endpoints. */
export interface AcpKeys {
  /** Creates a key; the secret is in the answer and nowhere else. */
  create(name: string): { readonly key: AcpKey; readonly secret: string };
  list(): AcpKey[];
  /** Revokes the key with this id (or unique id prefix); says which one. */
  revoke(idOrPrefix: string): AcpKey;
  /** The active key a secret belongs to, or undefined: unknown, malformed or revoked. */
  verify(secret: string): AcpKey | undefined;
}

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates the key service: secrets hashed with SHA-256 (they are 256 random bits, not passwords). */
export function createAcpKeys(deps: { repo: AcpKeysRepo; clock: Clock; ids: Ids }): AcpKeys {
  const { repo, clock, ids } = deps;
  const cache = new Map<string, AcpKey>();
  let seenVersion = repo.dataVersion();
  let checkedAt = Number.NEGATIVE_INFINITY;

  /** Another process may have revoked a key: forget what we verified when the database changed. */
  function refresh(): void {
    // Real elapsed time (not the shop clock, which tests stop): a quarter second is soon enough.
    const now = performance.now();
    if (now - checkedAt < EXTERNAL_CHECK_MS) return;
    checkedAt = now;
    const version = repo.dataVersion();
    if (version !== seenVersion) {
      seenVersion = version;
      cache.clear();
    }
  }

  return {
    create(name) {
      const trimmed = name.trim();
      if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH || /[\p{Cc}]/u.test(trimmed)) {
        throw new AppError(
          'invalid_input',
          `A key needs a name of 1 to ${MAX_NAME_LENGTH} printable characters, e.g. --name "ChatGPT".`,
        );
      }
      const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
      const key: AcpKey = {
        id: ids.next('key'),
        name: trimmed,
        secretHash: hashOf(secret),
        hint: secret.slice(-4),
        createdAt: clock.now().getTime(),
        revokedAt: undefined,
      };
      repo.insert(key);
      return { key, secret };
    },
    list: () => repo.list(),
    revoke(idOrPrefix) {
      const found = idOrPrefix.length < 5 ? [] : repo.find(idOrPrefix);
      const [key] = found;
      if (key === undefined || found.length > 1) {
        throw new AppError(
          'not_found',
          found.length > 1
            ? `"${idOrPrefix}" matches ${found.length} keys; give more of the id.`
            : `There is no API key "${idOrPrefix}". \`counterpi acp-key list\` shows them.`,
        );
      }
      repo.revoke(key.id, clock.now().getTime());
      cache.clear();
      return repo.find(key.id)[0] ?? key;
    },
    verify(secret) {
      if (!secret.startsWith(SECRET_PREFIX) || secret.length > 128) return undefined;
      refresh();
      const cached = cache.get(secret);
      if (cached !== undefined) return cached;
      const key = repo.byHash(hashOf(secret));
      if (key === undefined || key.revokedAt !== undefined) return undefined;
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(secret, key);
      return key;
    },
  };
}
