import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { AcpKey, AcpKeysRepo } from '../../store/acp-keys-repo.js';
import { canonicalJson } from '../orders/idempotency.js';

export type { AcpKey } from '../../store/acp-keys-repo.js';

/** Every secret starts with this, so a leaked one is recognisable (and scanners can find it). */
const SECRET_PREFIX = 'cpk_';
/** How often keys revoked by another process (the CLI) are looked for, in milliseconds. */
const EXTERNAL_CHECK_MS = 250;
/** Verified secrets kept in memory; a caller uses one key over and over. */
const MAX_CACHED = 256;
const MAX_NAME_LENGTH = 80;

/** The API keys agent platforms use for the ACP endpoints. */
export interface AcpKeys {
  /**
   * Creates a key; the secret is in the answer and nowhere else. With `signing`, its requests must be
   * signed too, with the signing secret in the answer (derived from a server key, never stored).
   */
  create(
    name: string,
    options?: { readonly signing?: boolean },
  ): { readonly key: AcpKey; readonly secret: string; readonly signingSecret: string | undefined };
  list(): AcpKey[];
  /** Revokes the key with this id (or unique id prefix); says which one. */
  revoke(idOrPrefix: string): AcpKey;
  /** The active key a secret belongs to, or undefined: unknown, malformed or revoked. */
  verify(secret: string): AcpKey | undefined;
  /**
   * Checks a request's `Signature` (base64url HMAC-SHA256 with the key's signing secret) over
   * `Timestamp`, method, path and the canonical JSON body, with the timestamp within 300 s of now.
   */
  verifySignature(key: AcpKey, request: SignedRequest): SignatureCheck;
}

/** What a signature covers. */
export interface SignedRequest {
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
  readonly method: string;
  readonly path: string;
  /** The parsed JSON body (undefined for GET). */
  readonly body: unknown;
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** How far a signed request's Timestamp may be from the shop's clock. */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** The string a request signature is computed over: `Timestamp`, method, path, canonical body. */
export function signedText(timestamp: string, method: string, path: string, body: unknown): string {
  return [timestamp, method.toUpperCase(), path, body === undefined ? '' : canonicalJson(body)].join('\n');
}

/** The signature a client computes: base64url(HMAC-SHA256(signing secret, signedText)). */
export function signRequest(signingSecret: string, text: string): string {
  return createHmac('sha256', signingSecret).update(text).digest('base64url');
}

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates the key service: secrets hashed with SHA-256 (they are 256 random bits, not passwords). */
export function createAcpKeys(deps: {
  repo: AcpKeysRepo;
  clock: Clock;
  ids: Ids;
  /** A server secret (from DATA_DIR) the keys' signing secrets are derived from. */
  signingRoot: string;
}): AcpKeys {
  const { repo, clock, ids } = deps;
  const signingSecretOf = (keyId: string) =>
    `cps_${createHmac('sha256', deps.signingRoot).update(`acp-signing:${keyId}`).digest('base64url')}`;
  const cache = new Map<string, AcpKey>();
  let seenChanges = repo.changes();
  let checkedAt = Number.NEGATIVE_INFINITY;

  /** Another process may have revoked a key: forget what we verified when keys changed. */
  function refresh(): void {
    // Real elapsed time (not the shop clock, which tests stop): a quarter second is soon enough.
    const now = performance.now();
    if (now - checkedAt < EXTERNAL_CHECK_MS) return;
    checkedAt = now;
    const changes = repo.changes();
    if (changes !== seenChanges) {
      seenChanges = changes;
      cache.clear();
    }
  }

  return {
    create(name, options = {}) {
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
        signingRequired: options.signing === true,
      };
      repo.insert(key);
      return { key, secret, signingSecret: key.signingRequired ? signingSecretOf(key.id) : undefined };
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
    verifySignature(key, request) {
      if (request.signature === undefined || request.timestamp === undefined) {
        return { ok: false, reason: 'This API key signs its requests: send Signature and Timestamp.' };
      }
      const at = Date.parse(request.timestamp);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(request.timestamp) || Number.isNaN(at)) {
        return { ok: false, reason: 'Timestamp must be an RFC 3339 time.' };
      }
      if (Math.abs(clock.now().getTime() - at) > SIGNATURE_WINDOW_SECONDS * 1000) {
        return {
          ok: false,
          reason: `Timestamp is more than ${SIGNATURE_WINDOW_SECONDS} s from the shop's clock.`,
        };
      }
      const text = signedText(request.timestamp, request.method, request.path, request.body);
      const expected = Buffer.from(signRequest(signingSecretOf(key.id), text));
      const given = Buffer.from(request.signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        return { ok: false, reason: 'The Signature does not match the request.' };
      }
      return { ok: true };
    },
  };
}
