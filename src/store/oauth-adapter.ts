import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Clock } from '../platform/clock.js';
import { changeCounter, EXTERNAL_CHECK_MS } from './change-counts.js';
import type { Store } from './database.js';

/** oidc-provider's storage: one adapter per model, all in the `oauth_store` table (migration 3). */
export interface OauthStorage {
  /** The `adapter` option of the provider configuration. */
  readonly adapterFor: (model: string) => Adapter;
  /** Deletes rows past their expiry; the provider never deletes them itself. Returns how many. */
  purgeExpired(): number;
  /**
   * Whether the grant was revoked while access tokens it issued may still be valid: asked on every
   * request (a set lookup; the set is read again when another process or this one revokes a grant).
   */
  isGrantRevoked(grantId: string): boolean;
}

interface Row {
  readonly payload: string;
  readonly consumed_at: number | null;
}

type UpsertArgs = [string, string, string, string | null, string | null, string | null, number | null];

const LIVE = '(expires_at IS NULL OR expires_at > ?)';

/** SQLite storage for every oidc-provider model, with statements prepared once. */
export function createOauthStorage(deps: {
  store: Store;
  clock: Clock;
  /** How long access tokens live, in seconds: a revoked grant is remembered that long. */
  accessTokenTtlSeconds: number;
}): OauthStorage {
  const { db } = deps.store;
  const now = () => Math.floor(deps.clock.now().getTime() / 1000);
  const q = {
    upsert: db.prepare<UpsertArgs>(
      `INSERT INTO oauth_store (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
         user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
    ),
    byId: db.prepare<[string, string, number], Row>(
      `SELECT payload, consumed_at FROM oauth_store WHERE model = ? AND id = ? AND ${LIVE}`,
    ),
    byUid: db.prepare<[string, string, number], Row>(
      `SELECT payload, consumed_at FROM oauth_store WHERE model = ? AND uid = ? AND ${LIVE}`,
    ),
    byUserCode: db.prepare<[string, string, number], Row>(
      `SELECT payload, consumed_at FROM oauth_store WHERE model = ? AND user_code = ? AND ${LIVE}`,
    ),
    consume: db.prepare<[number, string, string]>(
      'UPDATE oauth_store SET consumed_at = ? WHERE model = ? AND id = ?',
    ),
    destroy: db.prepare<[string, string]>('DELETE FROM oauth_store WHERE model = ? AND id = ?'),
    revoke: db.prepare<[string]>('DELETE FROM oauth_store WHERE grant_id = ?'),
    purge: db.prepare<[number]>('DELETE FROM oauth_store WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    revokeGrant: db.prepare<[string, number, number]>(
      'INSERT OR IGNORE INTO revoked_grants (grant_id, revoked_at, expires_at) VALUES (?, ?, ?)',
    ),
    revokedGrants: db
      .prepare<[number], string>('SELECT grant_id FROM revoked_grants WHERE expires_at > ?')
      .pluck(),
    purgeGrants: db.prepare<[number]>('DELETE FROM revoked_grants WHERE expires_at <= ?'),
  };
  const grantChanges = changeCounter(deps.store, 'revoked_grants', EXTERNAL_CHECK_MS);
  let revokedGrants: ReadonlySet<string> | undefined;
  let seenGrantChanges = -1;

  const adapterFor = (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      const expiresAt = typeof expiresIn === 'number' ? now() + expiresIn : null;
      const { grantId, userCode, uid } = payload;
      q.upsert.run(
        model,
        id,
        JSON.stringify(payload),
        grantId ?? null,
        userCode ?? null,
        uid ?? null,
        expiresAt,
      );
    },
    find: async (id) => toPayload(q.byId.get(model, id, now())),
    findByUid: async (uid) => toPayload(q.byUid.get(model, uid, now())),
    findByUserCode: async (userCode) => toPayload(q.byUserCode.get(model, userCode, now())),
    async consume(id) {
      q.consume.run(now(), model, id);
    },
    async destroy(id) {
      q.destroy.run(model, id);
    },
    // A grant's tokens live under several models; revoking it removes all of them (refresh reuse, logout),
    // and remembers it for the access tokens, which are JWTs kept nowhere.
    async revokeByGrantId(grantId) {
      deps.store.transaction(() => {
        q.revoke.run(grantId);
        q.revokeGrant.run(grantId, now(), now() + deps.accessTokenTtlSeconds);
      });
      revokedGrants = undefined;
    },
  });

  return {
    adapterFor,
    purgeExpired: () =>
      deps.store.transaction(() => q.purge.run(now()).changes + q.purgeGrants.run(now()).changes),
    isGrantRevoked(grantId) {
      const counted = grantChanges();
      if (revokedGrants === undefined || counted !== seenGrantChanges) {
        revokedGrants = new Set(q.revokedGrants.all(now()));
        seenGrantChanges = counted;
      }
      return revokedGrants.has(grantId);
    },
  };
}

/** The stored payload; `consumed` is what the provider checks for code and refresh-token reuse. */
function toPayload(row: Row | undefined): AdapterPayload | undefined {
  if (row === undefined) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed_at === null ? payload : { ...payload, consumed: row.consumed_at };
}
