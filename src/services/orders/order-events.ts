import type { Order } from '../../domain/order.js';
import type { OrderState } from '../../domain/order-lifecycle.js';
import { createListeners, type Listeners } from '../../platform/listeners.js';

/** How an order moved: the lifecycle event, and who made it (`customer:…`, `acp:…`, `system:…`, `owner`). */
export interface OrderMove {
  readonly event: string;
  readonly actor: string;
  /** On a placement paid in the same transaction by a delegated card: there is nothing to confirm. */
  readonly paidAtOnce?: true;
}

/**
 * The order-moved hub. The order service emits every change of an order's state inside the transaction
 * that saves it, so what each listener writes (the audit row, the print job, the webhook row) commits or
 * rolls back with the move (DESIGN.md, order lifecycle). `order` is the saved order, `from` its state
 * before. The audit log, the webhook outbox, the confirmations, the print queue, the kitchen signals and
 * the owner's live pages subscribe themselves where they are built.
 */
export type OrderEvents = Listeners<[order: Order, from: OrderState, move: OrderMove]>;

/** Creates the hub, with no listener yet. */
export function createOrderEvents(): OrderEvents {
  return createListeners();
}
