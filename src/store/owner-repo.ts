import type { Store } from './database.js';

/** The shop owner's account as stored: never the password, only its scrypt string. */
export interface OwnerAccountRow {
  readonly passwordHash: string | undefined;
  readonly onboardedAt: number | undefined;
  /** The printer chosen during onboarding, as JSON; undefined leaves PRINTER in charge. */
  readonly printer: string | undefined;
}

/** A live owner session, found by the hash of its cookie id. */
export interface OwnerSessionRow {
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** Reads and writes the owner's account and sessions, and the ids of the orders the dashboard lists. */
export interface OwnerRepo {
  account(): OwnerAccountRow;
  /** Sets the first password; false when one is set already (two first visitors racing). */
  setFirstPassword(hash: string, nowMs: number): boolean;
  markOnboarded(nowMs: number): void;
  /** Forgets the password and every session, in one transaction. */
  resetPassword(nowMs: number): void;
  setPrinter(printer: string | undefined, nowMs: number): void;
  insertSession(idHash: string, createdAt: number, expiresAt: number): void;
  /** The session, when it exists and has not expired at `nowMs`. */
  session(idHash: string, nowMs: number): OwnerSessionRow | undefined;
  extendSession(idHash: string, expiresAt: number): void;
  deleteSession(idHash: string): void;
  /** Forgets sessions that expired before `nowMs`; returns how many. */
  purgeSessions(nowMs: number): number;
  /**
   * Ids of orders placed since `sinceMs`, and of older ones still in play (awaiting confirmation, paid,
   * in the kitchen, ready), newest first, at most `limit`.
   */
  dashboardOrderIds(sinceMs: number, limit: number): string[];
}

interface AccountRow {
  password_hash: string | null;
  onboarded_at: number | null;
  printer: string | null;
}

/** Creates the owner repository with its statements prepared once. */
export function createOwnerRepo({ store }: { store: Store }): OwnerRepo {
  const { db } = store;
  const q = {
    account: db.prepare('SELECT password_hash, onboarded_at, printer FROM owner_account WHERE id = 1'),
    ensure: db.prepare('INSERT OR IGNORE INTO owner_account (id, updated_at) VALUES (1, ?)'),
    firstPassword: db.prepare(
      'UPDATE owner_account SET password_hash = ?, updated_at = ? WHERE id = 1 AND password_hash IS NULL',
    ),
    onboarded: db.prepare(
      'UPDATE owner_account SET onboarded_at = coalesce(onboarded_at, ?), updated_at = ? WHERE id = 1',
    ),
    printer: db.prepare('UPDATE owner_account SET printer = ?, updated_at = ? WHERE id = 1'),
    clearPassword: db.prepare('UPDATE owner_account SET password_hash = NULL, updated_at = ? WHERE id = 1'),
    deleteSessions: db.prepare('DELETE FROM owner_sessions'),
    insertSession: db.prepare(
      'INSERT INTO owner_sessions (id_hash, created_at, expires_at) VALUES (?, ?, ?)',
    ),
    session: db.prepare(
      'SELECT created_at, expires_at FROM owner_sessions WHERE id_hash = ? AND expires_at > ?',
    ),
    extend: db.prepare('UPDATE owner_sessions SET expires_at = ? WHERE id_hash = ?'),
    deleteSession: db.prepare('DELETE FROM owner_sessions WHERE id_hash = ?'),
    purge: db.prepare('DELETE FROM owner_sessions WHERE expires_at <= ?'),
    dashboard: db
      .prepare(
        `SELECT id FROM orders WHERE placed_at IS NOT NULL
           AND (placed_at >= ? OR state IN ('awaiting_confirmation', 'paid', 'in_kitchen', 'ready'))
         ORDER BY placed_at DESC, id DESC LIMIT ?`,
      )
      .pluck(),
  };
  /** The one row, created on first use so every update has something to change. */
  const ensure = (nowMs: number) => q.ensure.run(nowMs);

  return {
    account() {
      const row = q.account.get() as AccountRow | undefined;
      return {
        passwordHash: row?.password_hash ?? undefined,
        onboardedAt: row?.onboarded_at ?? undefined,
        printer: row?.printer ?? undefined,
      };
    },
    setFirstPassword(hash, nowMs) {
      return store.transaction(() => {
        ensure(nowMs);
        return q.firstPassword.run(hash, nowMs).changes === 1;
      });
    },
    markOnboarded(nowMs) {
      store.transaction(() => {
        ensure(nowMs);
        q.onboarded.run(nowMs, nowMs);
      });
    },
    resetPassword(nowMs) {
      store.transaction(() => {
        q.clearPassword.run(nowMs);
        q.deleteSessions.run();
      });
    },
    setPrinter(printer, nowMs) {
      store.transaction(() => {
        ensure(nowMs);
        q.printer.run(printer ?? null, nowMs);
      });
    },
    insertSession(idHash, createdAt, expiresAt) {
      store.transaction(() => q.insertSession.run(idHash, createdAt, expiresAt));
    },
    session(idHash, nowMs) {
      const row = q.session.get(idHash, nowMs) as { created_at: number; expires_at: number } | undefined;
      return row === undefined ? undefined : { createdAt: row.created_at, expiresAt: row.expires_at };
    },
    extendSession(idHash, expiresAt) {
      store.transaction(() => q.extend.run(expiresAt, idHash));
    },
    deleteSession(idHash) {
      store.transaction(() => q.deleteSession.run(idHash));
    },
    purgeSessions(nowMs) {
      return store.transaction(() => q.purge.run(nowMs).changes);
    },
    dashboardOrderIds: (sinceMs, limit) => q.dashboard.all(sinceMs, limit) as string[],
  };
}
