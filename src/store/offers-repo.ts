import type { UsageCount } from '../domain/offer-types.js';
import { changeCounter, EXTERNAL_CHECK_MS } from './change-counts.js';
import type { Store } from './database.js';
import { kindOf, ruleJson, type StoredOffer, storedOffer } from './offer-rules.js';

/** One code a customer may type, of a promo-code offer. */
export interface CodeRow {
  readonly id: string;
  readonly offerId: string;
  /** As written by the owner (or generated for a batch). */
  readonly code: string;
  /** A batch's code: one use in all. */
  readonly singleUse: boolean;
}

/** A code's use by one order, counted toward its limits. */
export interface CodeUse {
  readonly codeId: string;
  readonly orderId: string;
  readonly subject: string;
  readonly state: 'held' | 'used';
  readonly atMs: number;
}

/** Why a code could not be held for an order: its uses are all taken, or this customer's are. */
export type ClaimOutcome = 'held' | 'used_up' | 'customer_used';

/** Offers, their codes and the codes' uses. */
export interface OffersRepo {
  insert(offer: StoredOffer, nowMs: number, sort?: number): void;
  /** False when there is no such offer. */
  setPaused(offerId: string, paused: boolean): boolean;
  /** Replaces an offer's name and rule (its kind never changes). False when there is no such offer. */
  update(offer: StoredOffer): boolean;
  /** The offers not paused, in the owner's order; the same array until the offers change. */
  active(): readonly StoredOffer[];
  /** Adds codes to a promo-code offer; with `batchId`, a batch of single-use codes. Keys are unique. */
  addCodes(
    offerId: string,
    codes: readonly { id: string; code: string }[],
    nowMs: number,
    batchId?: string,
  ): void;
  /** A batch's codes in the order they were made, for a CSV download. */
  batchCodes(batchId: string): CodeRow[];
  /** The codes whose upper-cased form is one of `keys`. */
  codesByKeys(keys: readonly string[]): CodeRow[];
  /** Uses (held or used) of each code, in all and by `subject`. */
  usage(codeIds: readonly string[], subject: string): Map<string, UsageCount>;
  /**
   * Holds a code for an order in one statement that also checks the limits, so two connections racing for
   * the last use cannot both get it. Holding again for the same order is a no-op that answers `held`.
   */
  claim(
    use: Omit<CodeUse, 'state'>,
    limits: { total?: number | undefined; perCustomer?: number | undefined },
  ): ClaimOutcome;
  /** The order was paid: its holds become uses. Returns how many. */
  settle(orderId: string): number;
  /** The order went back to a cart, expired or was canceled: its holds are let go. Returns how many. */
  release(orderId: string): number;
  /** The order's money went back (refunded, or canceled after payment): its uses are let go too. */
  giveBack(orderId: string): number;
  usesOf(orderId: string): CodeUse[];
}

interface CodeSqlRow {
  id: string;
  offer_id: string;
  code: string;
  single_use: number;
}
const toCode = (r: CodeSqlRow): CodeRow => ({
  id: r.id,
  offerId: r.offer_id,
  code: r.code,
  singleUse: r.single_use === 1,
});

/** Creates the offers repository with its statements prepared once. */
export function createOffersRepo({ store }: { store: Store }): OffersRepo {
  const { db } = store;
  const q = {
    insert: db.prepare(
      'INSERT INTO offers (id, kind, name, rule, paused, sort, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)',
    ),
    pause: db.prepare('UPDATE offers SET paused = ? WHERE id = ?'),
    update: db.prepare('UPDATE offers SET name = ?, rule = ? WHERE id = ? AND kind = ?'),
    active: db.prepare(
      'SELECT id, kind, name, rule FROM offers WHERE paused = 0 ORDER BY sort, created_at, id',
    ),
    batch: db.prepare('INSERT INTO offer_code_batches (id, offer_id, created_at) VALUES (?, ?, ?)'),
    code: db.prepare(
      'INSERT INTO offer_codes (id, offer_id, batch_id, code, code_key, single_use, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    batchCodes: db.prepare('SELECT * FROM offer_codes WHERE batch_id = ? ORDER BY rowid'),
    byKey: db.prepare('SELECT * FROM offer_codes WHERE code_key = ?'),
    total: db.prepare('SELECT COUNT(*) FROM offer_code_uses WHERE code_id = ?').pluck(),
    mine: db.prepare('SELECT COUNT(*) FROM offer_code_uses WHERE code_id = ? AND subject = ?').pluck(),
    held: db.prepare('SELECT 1 FROM offer_code_uses WHERE code_id = ? AND order_id = ?').pluck(),
    // The limits are checked inside the INSERT: SQLite runs one writer at a time, so the count it reads
    // is the count it writes against, whichever connection or process gets there first.
    claim: db.prepare(
      `INSERT INTO offer_code_uses (code_id, order_id, subject, state, at)
       SELECT @codeId, @orderId, @subject, 'held', @atMs
       WHERE (@total IS NULL OR (SELECT COUNT(*) FROM offer_code_uses WHERE code_id = @codeId) < @total)
         AND (@perCustomer IS NULL OR
              (SELECT COUNT(*) FROM offer_code_uses WHERE code_id = @codeId AND subject = @subject) < @perCustomer)`,
    ),
    settle: db.prepare("UPDATE offer_code_uses SET state = 'used' WHERE order_id = ? AND state = 'held'"),
    release: db.prepare("DELETE FROM offer_code_uses WHERE order_id = ? AND state = 'held'"),
    giveBack: db.prepare('DELETE FROM offer_code_uses WHERE order_id = ?'),
    usesOf: db.prepare('SELECT * FROM offer_code_uses WHERE order_id = ? ORDER BY code_id'),
  };
  // Every menu search and pricing asks for the offers: they are parsed once per change. Asking SQLite
  // on every call would cost more than the search (a read transaction each), so this repository counts
  // its own writes and another connection's are seen within a quarter second, as the catalog does.
  const externalChanges = changeCounter(store, 'offers', EXTERNAL_CHECK_MS);
  let ownChanges = 0;
  let parsed: { version: number; offers: readonly StoredOffer[] } | undefined;
  return {
    insert(offer, nowMs, sort = 0) {
      q.insert.run(offer.offer.id, kindOf(offer), offer.offer.name, ruleJson(offer), sort, nowMs);
      ownChanges += 1;
    },
    setPaused(offerId, paused) {
      ownChanges += 1;
      return q.pause.run(paused ? 1 : 0, offerId).changes === 1;
    },
    update(offer) {
      ownChanges += 1;
      return q.update.run(offer.offer.name, ruleJson(offer), offer.offer.id, kindOf(offer)).changes === 1;
    },
    active() {
      const version = ownChanges + externalChanges();
      if (parsed?.version !== version) {
        const rows = q.active.all() as { id: string; kind: string; name: string; rule: string }[];
        parsed = { version, offers: rows.map(storedOffer) };
      }
      return parsed.offers;
    },
    addCodes(offerId, codes, nowMs, batchId) {
      if (batchId !== undefined) q.batch.run(batchId, offerId, nowMs);
      for (const c of codes) {
        const key = c.code.trim().toUpperCase();
        q.code.run(c.id, offerId, batchId ?? null, c.code.trim(), key, batchId === undefined ? 0 : 1, nowMs);
      }
    },
    batchCodes: (batchId) => (q.batchCodes.all(batchId) as CodeSqlRow[]).map(toCode),
    codesByKeys: (keys) =>
      keys.flatMap((key) => {
        const row = q.byKey.get(key) as CodeSqlRow | undefined;
        return row === undefined ? [] : [toCode(row)];
      }),
    usage(codeIds, subject) {
      return new Map(
        codeIds.map((id) => [
          id,
          { total: q.total.get(id) as number, byCustomer: q.mine.get(id, subject) as number },
        ]),
      );
    },
    claim(use, limits) {
      if (q.held.get(use.codeId, use.orderId) !== undefined) return 'held';
      const params = { ...use, total: limits.total ?? null, perCustomer: limits.perCustomer ?? null };
      if (q.claim.run(params).changes === 1) return 'held';
      const total = q.total.get(use.codeId) as number;
      return limits.total !== undefined && total >= limits.total ? 'used_up' : 'customer_used';
    },
    settle: (orderId) => q.settle.run(orderId).changes,
    release: (orderId) => q.release.run(orderId).changes,
    giveBack: (orderId) => q.giveBack.run(orderId).changes,
    usesOf: (orderId) =>
      (
        q.usesOf.all(orderId) as {
          code_id: string;
          order_id: string;
          subject: string;
          state: 'held' | 'used';
          at: number;
        }[]
      ).map((r) => ({
        codeId: r.code_id,
        orderId: r.order_id,
        subject: r.subject,
        state: r.state,
        atMs: r.at,
      })),
  };
}
