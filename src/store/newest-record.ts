import type { Store } from './database.js';

/**
 * The newest instant (epoch ms) the shop's records hold, or undefined for a shop that has written none:
 * the newest audit row (every tool call, ACP call, owner action and order move writes one), the newest
 * order event, and the latest placed order. Read once at start, for the clock gate
 * (src/services/operations/clock-watch.ts).
 *
 * Why these: each lookup is one descent of a b-tree (the rowid of an append-only table, the
 * `orders_placed` index), so it costs the same on a shop with years of orders, and it needs no write
 * of its own: the rows are written anyway. The last row of an append-only table is the newest instant
 * unless the clock went backwards while writing; orders are not taken while it is behind (the gate), so
 * the order tables keep the true mark even then.
 */
export function newestRecordMs(store: Pick<Store, 'db'>): number | undefined {
  const row = store.db.prepare(NEWEST_RECORD_SQL).get() as { newest: number };
  return row.newest > 0 ? row.newest : undefined;
}

/** The lookup of `newestRecordMs`: each part the last row of an append-only table or an index's end. */
export const NEWEST_RECORD_SQL = `SELECT max(
  coalesce((SELECT at FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)), 0),
  coalesce((SELECT at FROM order_events WHERE id = (SELECT max(id) FROM order_events)), 0),
  coalesce((SELECT max(placed_at) FROM orders WHERE placed_at IS NOT NULL), 0)
) AS newest`;
