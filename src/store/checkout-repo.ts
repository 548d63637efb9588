import type { CheckoutDraft, CheckoutSessionRecord, CheckoutState } from '../domain/checkout.js';
import type { Store } from './database.js';
import { PACKED_COLUMNS } from './packed-json.js';

/** Reads and writes `checkout_sessions`. */
export interface CheckoutRepo {
  insert(session: CheckoutSessionRecord): void;
  get(id: string): CheckoutSessionRecord | undefined;
  /** Writes a changed session if nobody changed it since `session.version - 1`; false otherwise. */
  update(session: CheckoutSessionRecord): boolean;
}

interface Row {
  id: string;
  api_key_id: string;
  state: CheckoutState;
  /** The draft as packed JSON (src/store/packed-json.ts). */
  data: Buffer;
  order_id: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  version: number;
}

function toRecord(row: Row): CheckoutSessionRecord {
  return {
    id: row.id,
    apiKeyId: row.api_key_id,
    state: row.state,
    draft: JSON.parse(PACKED_COLUMNS.checkout_draft.unpack(row.data)) as CheckoutDraft,
    orderId: row.order_id ?? undefined,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    expiresAt: new Date(row.expires_at),
    version: row.version,
  };
}

const packedDraft = (draft: CheckoutDraft) => PACKED_COLUMNS.checkout_draft.pack(JSON.stringify(draft));

/** Creates the checkout sessions repository over an open store. */
export function createCheckoutRepo({ store }: { store: Store }): CheckoutRepo {
  const { db } = store;
  const insert = db.prepare(
    `INSERT INTO checkout_sessions (id, api_key_id, state, data, order_id, created_at, updated_at, expires_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const get = db.prepare('SELECT * FROM checkout_sessions WHERE id = ?');
  const update = db.prepare(
    `UPDATE checkout_sessions SET state = ?, data = ?, order_id = ?, updated_at = ?, expires_at = ?, version = ?
     WHERE id = ? AND version = ?`,
  );
  return {
    insert(s) {
      insert.run(
        s.id,
        s.apiKeyId,
        s.state,
        packedDraft(s.draft),
        s.orderId ?? null,
        s.createdAt.getTime(),
        s.updatedAt.getTime(),
        s.expiresAt.getTime(),
        s.version,
      );
    },
    get(id) {
      const row = get.get(id) as Row | undefined;
      return row === undefined ? undefined : toRecord(row);
    },
    update(s) {
      const result = update.run(
        s.state,
        packedDraft(s.draft),
        s.orderId ?? null,
        s.updatedAt.getTime(),
        s.expiresAt.getTime(),
        s.version,
        s.id,
        s.version - 1,
      );
      return result.changes === 1;
    },
  };
}
