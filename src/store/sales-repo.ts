import type { OrderState } from '../domain/order-lifecycle.js';
import type { PricedOrder } from '../domain/pricing.js';
import type { SaleRecord } from '../domain/sales-summary.js';
import type { Store } from './database.js';
import { PACKED_COLUMNS } from './packed-json.js';

/** Reads the orders the sales pictures sum; it writes nothing. */
export interface SalesRepo {
  /**
   * Orders placed in `[startMs, endMs)` that sold or were refunded (the states that ever took money or a
   * promise to pay), oldest first. Found through the `orders_placed` index.
   */
  placedBetween(startMs: number, endMs: number): SaleRecord[];
}

interface SaleRow {
  state: OrderState;
  placed_at: number;
  currency: string;
  priced: Buffer | null;
}

/**
 * The orders of a span of placing times: a range search of orders_placed (a range on `placed_at` implies
 * the partial index's `placed_at IS NOT NULL`; sales-repo.test.ts holds the plan to it).
 */
export const PLACED_BETWEEN_SQL = `SELECT o.state, o.placed_at, o.currency, p.priced
  FROM orders o LEFT JOIN order_prices p ON p.id = o.priced_id
  WHERE o.placed_at >= ? AND o.placed_at < ?
    AND o.state IN ('paid', 'in_kitchen', 'ready', 'collected', 'refunded')
  ORDER BY o.placed_at`;

/** Creates the sales repository with its statement prepared once. */
export function createSalesRepo({ store }: { store: Store }): SalesRepo {
  const placed = store.db.prepare(PLACED_BETWEEN_SQL);
  return {
    placedBetween: (startMs, endMs) =>
      (placed.all(startMs, endMs) as SaleRow[]).map((r) => ({
        state: r.state,
        placedAt: new Date(r.placed_at),
        currency: r.currency,
        // Written by the orders repository from a PricedOrder and never edited by hand: a snapshot.
        priced:
          r.priced === null ? undefined : (JSON.parse(PACKED_COLUMNS.prices.unpack(r.priced)) as PricedOrder),
      })),
  };
}
