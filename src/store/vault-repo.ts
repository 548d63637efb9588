import type { Store } from './database.js';

/** A delegated payment token as recorded: never the card number or CVC. */
export interface VaultToken {
  readonly id: string;
  /** The ACP API key that delegated it; only that key's checkouts may spend it. */
  readonly apiKeyId: string;
  readonly checkoutSessionId: string;
  readonly merchantId: string;
  /** Minor units of `currency`. */
  readonly maxAmount: number;
  /** Lowercase ISO 4217, as ACP writes it (`usd`). */
  readonly currency: string;
  readonly expiresAt: number;
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: number | undefined;
  readonly expYear: number | undefined;
  readonly state: 'active' | 'consumed';
  readonly consumedAt: number | undefined;
  /** The checkout session that spent it. */
  readonly consumedBy: string | undefined;
  readonly consumedAmount: number | undefined;
  readonly paymentId: string | undefined;
  readonly createdAt: number;
}

/** A token as delegated: active, not spent yet. */
export type NewVaultToken = Omit<
  VaultToken,
  'state' | 'consumedAt' | 'consumedBy' | 'consumedAmount' | 'paymentId'
>;

/** How a token was spent. */
export interface VaultSpend {
  readonly at: number;
  readonly checkoutSessionId: string;
  readonly amount: number;
  readonly paymentId: string;
}

/** Reads and writes `vault_tokens`. */
export interface VaultRepo {
  insert(token: NewVaultToken): void;
  byId(id: string): VaultToken | undefined;
  /** Marks an active token consumed; false when it is unknown or was consumed already (a race lost). */
  consume(id: string, spend: VaultSpend): boolean;
}

interface Row {
  id: string;
  api_key_id: string;
  checkout_session_id: string;
  merchant_id: string;
  max_amount: number;
  currency: string;
  expires_at: number;
  brand: string;
  last4: string;
  exp_month: number | null;
  exp_year: number | null;
  state: 'active' | 'consumed';
  consumed_at: number | null;
  consumed_by: string | null;
  consumed_amount: number | null;
  payment_id: string | null;
  created_at: number;
}

function toToken(row: Row): VaultToken {
  return {
    id: row.id,
    apiKeyId: row.api_key_id,
    checkoutSessionId: row.checkout_session_id,
    merchantId: row.merchant_id,
    maxAmount: row.max_amount,
    currency: row.currency,
    expiresAt: row.expires_at,
    brand: row.brand,
    last4: row.last4,
    expMonth: row.exp_month ?? undefined,
    expYear: row.exp_year ?? undefined,
    state: row.state,
    consumedAt: row.consumed_at ?? undefined,
    consumedBy: row.consumed_by ?? undefined,
    consumedAmount: row.consumed_amount ?? undefined,
    paymentId: row.payment_id ?? undefined,
    createdAt: row.created_at,
  };
}

/** Creates the vault token repository over an open store. */
export function createVaultRepo({ store }: { store: Store }): VaultRepo {
  const { db } = store;
  const insert = db.prepare(
    `INSERT INTO vault_tokens (id, api_key_id, checkout_session_id, merchant_id, max_amount, currency,
       expires_at, brand, last4, exp_month, exp_year, state, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)`,
  );
  const byId = db.prepare('SELECT * FROM vault_tokens WHERE id = ?');
  // The state test in the WHERE clause is the single-use guarantee: of two spends, one changes the row.
  const consume = db.prepare(
    `UPDATE vault_tokens SET state = 'consumed', consumed_at = ?, consumed_by = ?, consumed_amount = ?,
       payment_id = ? WHERE id = ? AND state = 'active'`,
  );
  return {
    insert(token) {
      store.transaction(() =>
        insert.run(
          token.id,
          token.apiKeyId,
          token.checkoutSessionId,
          token.merchantId,
          token.maxAmount,
          token.currency,
          token.expiresAt,
          token.brand,
          token.last4,
          token.expMonth ?? null,
          token.expYear ?? null,
          token.createdAt,
        ),
      );
    },
    byId(id) {
      const row = byId.get(id) as Row | undefined;
      return row === undefined ? undefined : toToken(row);
    },
    consume: (id, spend) =>
      store.transaction(
        () => consume.run(spend.at, spend.checkoutSessionId, spend.amount, spend.paymentId, id).changes === 1,
      ),
  };
}
