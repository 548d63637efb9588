import type { OrderEvents } from '../services/orders/order-events.js';

/** What the owner's open pages hear about: an order changed (any order, any change). */
export interface OwnerEvent {
  readonly kind: 'orders';
  readonly orderId: string;
}

/**
 * The live feed behind `/admin/events`: it follows the order moves, and each open dashboard's event
 * stream listens. In memory and best effort: a page that misses an event still has its refresh link.
 */
export interface OwnerEvents {
  /** Listens until the returned function is called; `closed` runs when the hub shuts down first. */
  subscribe(listener: (event: OwnerEvent) => void, closed: () => void): () => void;
  /** Ends every stream (shutdown), so no open page holds the server's stop up. */
  close(): void;
}

/** Creates the feed over the order moves. */
export function createOwnerEvents(deps: { readonly orderEvents: Pick<OrderEvents, 'on'> }): OwnerEvents {
  const subscribers = new Map<(event: OwnerEvent) => void, () => void>();
  deps.orderEvents.on((order) => {
    if (subscribers.size === 0) return;
    // After this turn: the transaction that moved the order has committed, so a page reading it sees it.
    setImmediate(() => {
      for (const listener of subscribers.keys()) listener({ kind: 'orders', orderId: order.id });
    });
  });
  return {
    subscribe(listener, closed) {
      subscribers.set(listener, closed);
      return () => subscribers.delete(listener);
    },
    close() {
      const closers = [...subscribers.values()];
      subscribers.clear();
      for (const closed of closers) closed();
    },
  };
}
