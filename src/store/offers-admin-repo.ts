import type { Store } from './database.js';
import { type StoredOffer, storedOffer } from './offer-rules.js';

/** An offer as the owner's pages list it: paused or not, and when it was made. */
export interface OfferRecord {
  readonly stored: StoredOffer;
  readonly paused: boolean;
  readonly createdAtMs: number;
}

/** A batch of single-use codes: how many were made and how many are used. */
export interface BatchRecord {
  readonly id: string;
  readonly offerId: string;
  readonly createdAtMs: number;
  readonly codes: number;
  readonly used: number;
}

/** What an offer brought: paid orders it applied to, what it took off them, and what they paid. */
export interface OfferTakings {
  readonly uses: number;
  readonly discount: number;
  readonly revenue: number;
}

/** The owner's view of the offers: every one, paused or not, with its codes, batches and takings. */
export interface OffersAdminRepo {
  all(): OfferRecord[];
  get(offerId: string): OfferRecord | undefined;
  /** The codes of an offer typed by hand (not a batch's), with how often each was used. */
  codesOf(offerId: string): { code: string; used: number }[];
  batchesOf(offerId: string): BatchRecord[];
  batch(batchId: string): BatchRecord | undefined;
  /** Whether a code with this upper-cased key exists. */
  codeTaken(key: string): boolean;
  /** By offer id: paid (not refunded) orders whose stored prices show the offer, and their sums. */
  takings(): Map<string, OfferTakings>;
}

interface OfferSqlRow {
  id: string;
  kind: string;
  name: string;
  rule: string;
  paused: number;
  created_at: number;
}

const toRecord = (r: OfferSqlRow): OfferRecord => ({
  stored: storedOffer(r),
  paused: r.paused === 1,
  createdAtMs: r.created_at,
});

// Orders the shop was paid for and kept: what counts as a use and as revenue.
const KEPT = "('paid', 'in_kitchen', 'ready', 'collected')";

/** Creates the repository with its statements prepared once. */
export function createOffersAdminRepo({ store }: { store: Store }): OffersAdminRepo {
  const { db } = store;
  const batchSql = `SELECT b.id, b.offer_id, b.created_at,
      (SELECT COUNT(*) FROM offer_codes c WHERE c.batch_id = b.id) AS codes,
      (SELECT COUNT(*) FROM offer_code_uses u JOIN offer_codes c ON c.id = u.code_id
        WHERE c.batch_id = b.id AND u.state = 'used') AS used
    FROM offer_code_batches b`;
  const q = {
    all: db.prepare('SELECT * FROM offers ORDER BY sort, created_at, id'),
    get: db.prepare('SELECT * FROM offers WHERE id = ?'),
    codes: db.prepare(
      `SELECT c.code, (SELECT COUNT(*) FROM offer_code_uses u WHERE u.code_id = c.id AND u.state = 'used') AS used
       FROM offer_codes c WHERE c.offer_id = ? AND c.batch_id IS NULL ORDER BY c.rowid`,
    ),
    batches: db.prepare(`${batchSql} WHERE b.offer_id = ? ORDER BY b.created_at, b.id`),
    batch: db.prepare(`${batchSql} WHERE b.id = ?`),
    taken: db.prepare('SELECT 1 FROM offer_codes WHERE code_key = ?').pluck(),
    // A promo code's discount is stored under its code's id: it counts for the code's offer. The prices
    // are packed (unpacked_json is defined on the store's connection, src/store/packed-json.ts).
    takings: db.prepare(
      `SELECT COALESCE(c.offer_id, json_extract(a.value, '$.offerId')) AS offer_id,
              COUNT(DISTINCT o.id) AS uses,
              SUM(json_extract(a.value, '$.amount')) AS discount,
              SUM(o.total) AS revenue
       FROM orders o JOIN order_prices p ON p.id = o.priced_id, json_each(unpacked_json('prices', p.priced), '$.applied') a
       LEFT JOIN offer_codes c ON c.id = json_extract(a.value, '$.offerId')
       WHERE o.state IN ${KEPT}
       GROUP BY 1`,
    ),
  };
  const toBatch = (r: { id: string; offer_id: string; created_at: number; codes: number; used: number }) => ({
    id: r.id,
    offerId: r.offer_id,
    createdAtMs: r.created_at,
    codes: r.codes,
    used: r.used,
  });
  return {
    all: () => (q.all.all() as OfferSqlRow[]).map(toRecord),
    get(offerId) {
      const row = q.get.get(offerId) as OfferSqlRow | undefined;
      return row === undefined ? undefined : toRecord(row);
    },
    codesOf: (offerId) => q.codes.all(offerId) as { code: string; used: number }[],
    batchesOf: (offerId) => (q.batches.all(offerId) as Parameters<typeof toBatch>[0][]).map(toBatch),
    batch(batchId) {
      const row = q.batch.get(batchId) as Parameters<typeof toBatch>[0] | undefined;
      return row === undefined ? undefined : toBatch(row);
    },
    codeTaken: (key) => q.taken.get(key) !== undefined,
    takings() {
      const rows = q.takings.all() as { offer_id: string; uses: number; discount: number; revenue: number }[];
      return new Map(
        rows.map((r) => [r.offer_id, { uses: r.uses, discount: r.discount, revenue: r.revenue }]),
      );
    },
  };
}
