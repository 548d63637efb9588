import type { Order } from '../../domain/order.js';
import type { OrderEvents } from '../orders/order-events.js';

/** How many open order pages may follow one order, and all orders together. */
export const WATCH_LIMITS = { perOrder: 4, total: 200 } as const;

/**
 * The live feed behind the customers' order pages (`/o/<id>/events`): it follows the order moves and
 * tells the pages watching that order. In memory and best effort, like the owner's feed
 * (src/admin/owner-events.ts): a page that misses an event still refreshes itself. Bounded, so open
 * pages cannot hold the Pi's memory or sockets: a watcher past a limit is refused, not queued.
 */
export interface OrderWatch {
  /**
   * Listens to one order until the returned function is called; `closed` runs when the feed shuts down
   * first. Undefined when the order or the feed already has as many watchers as the limits allow.
   */
  watch(orderId: string, listener: (order: Order) => void, closed: () => void): (() => void) | undefined;
  /** Ends every watcher (shutdown), so no open page holds the server's stop up. */
  close(): void;
}

/** Creates the feed over the order moves. */
export function createOrderWatch(deps: {
  readonly orderEvents: Pick<OrderEvents, 'on'>;
  readonly limits?: { readonly perOrder: number; readonly total: number };
}): OrderWatch {
  const limits = deps.limits ?? WATCH_LIMITS;
  const byOrder = new Map<string, Map<(order: Order) => void, () => void>>();
  let total = 0;
  deps.orderEvents.on((order) => {
    if (!byOrder.has(order.id)) return;
    // After this turn: the transaction that moved the order has committed, so a page reading it sees it.
    setImmediate(() => {
      for (const listener of [...(byOrder.get(order.id)?.keys() ?? [])]) listener(order);
    });
  });
  return {
    watch(orderId, listener, closed) {
      const watchers = byOrder.get(orderId) ?? new Map<(order: Order) => void, () => void>();
      if (watchers.size >= limits.perOrder || total >= limits.total) return undefined;
      watchers.set(listener, closed);
      byOrder.set(orderId, watchers);
      total += 1;
      return () => {
        if (!watchers.delete(listener)) return;
        total -= 1;
        if (watchers.size === 0 && byOrder.get(orderId) === watchers) byOrder.delete(orderId);
      };
    },
    close() {
      const closers = [...byOrder.values()].flatMap((watchers) => {
        const ends = [...watchers.values()];
        watchers.clear();
        return ends;
      });
      byOrder.clear();
      total = 0;
      for (const closed of closers) closed();
    },
  };
}
