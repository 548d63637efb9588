import { changeCounter } from './change-counts.js';
import type { Store } from './database.js';

/** An ACP API key as recorded: never the secret, only its hash and last characters. */
export interface AcpKey {
  readonly id: string;
  readonly name: string;
  readonly secretHash: string;
  /** The secret's last four characters, so the owner can tell keys apart. */
  readonly hint: string;
  readonly createdAt: number;
  readonly revokedAt: number | undefined;
  /** Requests with this key must carry a valid `Signature` and `Timestamp`. */
  readonly signingRequired: boolean;
}

/** Reads and writes `acp_api_keys`. */
export interface AcpKeysRepo {
  insert(key: AcpKey): void;
  /** The key whose secret hashes to `secretHash`, revoked or not. */
  byHash(secretHash: string): AcpKey | undefined;
  list(): AcpKey[];
  /** Keys whose id starts with `prefix`. */
  find(prefix: string): AcpKey[];
  /** Marks a key revoked; false when it is unknown or revoked already. */
  revoke(id: string, nowMs: number): boolean;
  /** How often keys changed, by any process (the CLI's create and revoke too); move means read again. */
  changes(): number;
}

interface Row {
  id: string;
  name: string;
  secret_hash: string;
  hint: string;
  created_at: number;
  revoked_at: number | null;
  signing_required: number;
}

function toKey(row: Row): AcpKey {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    hint: row.hint,
    createdAt: row.created_at,
    revokedAt: row.revoked_at ?? undefined,
    signingRequired: row.signing_required === 1,
  };
}

/** Creates the ACP API keys repository over an open store. */
export function createAcpKeysRepo({ store }: { store: Store }): AcpKeysRepo {
  const { db } = store;
  const insert = db.prepare(
    `INSERT INTO acp_api_keys (id, name, secret_hash, hint, created_at, revoked_at, signing_required)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare('SELECT * FROM acp_api_keys WHERE secret_hash = ?');
  const list = db.prepare('SELECT * FROM acp_api_keys ORDER BY created_at DESC, id');
  const find = db.prepare("SELECT * FROM acp_api_keys WHERE id LIKE ? ESCAPE '\\' ORDER BY created_at DESC");
  const revoke = db.prepare('UPDATE acp_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  return {
    insert(key) {
      store.transaction(() =>
        insert.run(
          key.id,
          key.name,
          key.secretHash,
          key.hint,
          key.createdAt,
          key.revokedAt ?? null,
          key.signingRequired ? 1 : 0,
        ),
      );
    },
    byHash(secretHash) {
      const row = byHash.get(secretHash) as Row | undefined;
      return row === undefined ? undefined : toKey(row);
    },
    list: () => (list.all() as Row[]).map(toKey),
    find: (prefix) => (find.all(`${prefix.replace(/[\\%_]/g, '\\$&')}%`) as Row[]).map(toKey),
    revoke: (id, nowMs) => store.transaction(() => revoke.run(nowMs, id).changes === 1),
    changes: changeCounter(store, 'acp_keys', 0),
  };
}
