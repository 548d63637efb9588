import type { OrderState } from '../domain/order-lifecycle.js';
import type { Store } from './database.js';

/** An order waiting in the kitchen, as much as the pass needs to name it. */
export interface WaitingOrder {
  readonly id: string;
  readonly code: string;
  readonly state: OrderState;
}

/** The orders the kitchen is working on, oldest first. */
export interface KitchenQueueRepo {
  /** The oldest order by placed time in `in_kitchen`, and in `paid` too when `includePaid` (no tickets). */
  oldest(includePaid: boolean): WaitingOrder | undefined;
  /** The order whose ticket printed last: the latest `print` event (paid → in_kitchen). */
  lastPrinted(): WaitingOrder | undefined;
}

/** Creates the kitchen queue repository over an open store. */
export function createKitchenQueueRepo({ store }: { store: Store }): KitchenQueueRepo {
  const { db } = store;
  const inKitchen = db.prepare(
    "SELECT id, code, state FROM orders WHERE state = 'in_kitchen' ORDER BY placed_at, id LIMIT 1",
  );
  const paidOrInKitchen = db.prepare(
    "SELECT id, code, state FROM orders WHERE state IN ('paid', 'in_kitchen') ORDER BY placed_at, id LIMIT 1",
  );
  const lastPrinted = db.prepare(
    `SELECT o.id, o.code, o.state FROM order_events e JOIN orders o ON o.id = e.order_id
     WHERE e.event = 'print' ORDER BY e.id DESC LIMIT 1`,
  );
  return {
    oldest: (includePaid) => (includePaid ? paidOrInKitchen : inKitchen).get() as WaitingOrder | undefined,
    lastPrinted: () => lastPrinted.get() as WaitingOrder | undefined,
  };
}
