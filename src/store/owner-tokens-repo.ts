import type { Customer } from '../domain/order.js';
import { changeCounter, EXTERNAL_CHECK_MS } from './change-counts.js';
import type { Store } from './database.js';
import type { OrdersRepo } from './orders-repo.js';

/** An access token the owner issued from the command line, as recorded: never the token itself. */
export interface OwnerToken {
  readonly jti: string;
  /** The owner's label; issuing again with the same name (any case) reuses its customer. */
  readonly name: string;
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | undefined;
}

/** A token about to be recorded; its subject is decided by `record`. */
export type NewOwnerToken = Omit<OwnerToken, 'subject' | 'revokedAt'>;

/** Reads and writes `owner_tokens`, and answers "is this jti revoked?" without a query per call. */
export interface OwnerTokensRepo {
  /** Records a token for the customer of the latest token with the same name, or for `newCustomer()`; one transaction. */
  record(token: NewOwnerToken, newCustomer: () => Customer): OwnerToken;
  /** Every recorded token, newest first. */
  list(): OwnerToken[];
  /** Tokens whose jti starts with `prefix` (the short id `token list` shows, or the whole jti). */
  find(prefix: string): OwnerToken[];
  /** Marks a token revoked; false when it was revoked already or is unknown. */
  revoke(jti: string, nowMs: number): boolean;
  /** Whether a jti was revoked, here or by another process (seen within EXTERNAL_CHECK_MS). */
  isRevoked(jti: string): boolean;
}

interface Row {
  jti: string;
  name: string;
  subject: string;
  scopes: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** Creates the owner tokens repository over an open store; customers are created through `orders`. */
export function createOwnerTokensRepo(deps: { store: Store; orders: OrdersRepo }): OwnerTokensRepo {
  const { store, orders } = deps;
  const { db } = store;
  const q = {
    subjectForName: db
      .prepare(
        'SELECT subject FROM owner_tokens WHERE name = ? COLLATE NOCASE ORDER BY created_at DESC LIMIT 1',
      )
      .pluck(),
    insert: db.prepare(
      `INSERT INTO owner_tokens (jti, name, subject, scopes, created_at, expires_at)
        VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    list: db.prepare('SELECT * FROM owner_tokens ORDER BY created_at DESC, jti'),
    find: db.prepare(
      'SELECT * FROM owner_tokens WHERE substr(jti, 1, length(:prefix)) = :prefix ORDER BY jti',
    ),
    revoke: db.prepare('UPDATE owner_tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL'),
    revoked: db.prepare('SELECT jti FROM owner_tokens WHERE revoked_at IS NOT NULL').pluck(),
  };
  // Revocations by another process (`counterpi token revoke`), seen within a quarter second.
  const changes = changeCounter(store, 'owner_tokens', EXTERNAL_CHECK_MS);
  let revoked = new Set<string>();
  let loaded = false;
  let seenChanges = -1;

  return {
    record(token, newCustomer) {
      return store.transaction(() => {
        let subject = q.subjectForName.get(token.name) as string | undefined;
        if (subject === undefined) {
          const customer = newCustomer();
          orders.insertCustomer(customer, token.createdAt);
          subject = customer.subject;
        }
        q.insert.run(
          token.jti,
          token.name,
          subject,
          token.scopes.join(' '),
          token.createdAt,
          token.expiresAt,
        );
        return { ...token, subject, revokedAt: undefined };
      });
    },
    list: () => (q.list.all() as Row[]).map(toOwnerToken),
    find: (prefix) => (q.find.all({ prefix }) as Row[]).map(toOwnerToken),
    revoke(jti, nowMs) {
      const changed = store.transaction(() => q.revoke.run(nowMs, jti).changes > 0);
      // The change count is read a quarter second late at most: a revocation here applies at once.
      if (changed) loaded = false;
      return changed;
    },
    isRevoked(jti) {
      // The per-request cost is a clock read and a set lookup; the set is read again when tokens change.
      const counted = changes();
      if (!loaded || counted !== seenChanges) {
        revoked = new Set(q.revoked.all() as string[]);
        seenChanges = counted;
        loaded = true;
      }
      return revoked.has(jti);
    },
  };
}

function toOwnerToken(r: Row): OwnerToken {
  return {
    jti: r.jti,
    name: r.name,
    subject: r.subject,
    scopes: r.scopes.split(' ').filter(Boolean),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at ?? undefined,
  };
}
