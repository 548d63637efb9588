/** What the owner's open pages hear about: an order changed (any order, any change). */
export interface OwnerEvent {
  readonly kind: 'orders';
  readonly orderId: string;
}

/**
 * The live feed behind `/admin/events`: the order service's transition hook tells it, and each open
 * dashboard's event stream listens. In memory and best effort: a page that misses an event still has
 * its refresh link.
 */
export interface OwnerEvents {
  /** Called from the order service's onTransition, inside the transaction: delivery waits for the commit. */
  orderChanged(orderId: string): void;
  /** Listens until the returned function is called; `closed` runs when the hub shuts down first. */
  subscribe(listener: (event: OwnerEvent) => void, closed: () => void): () => void;
  /** Ends every stream (shutdown), so no open page holds the server's stop up. */
  close(): void;
}

/** Creates the hub. */
export function createOwnerEvents(): OwnerEvents {
  const subscribers = new Map<(event: OwnerEvent) => void, () => void>();
  return {
    orderChanged(orderId) {
      if (subscribers.size === 0) return;
      // After this turn: the transaction that moved the order has committed, so a page reading it sees it.
      setImmediate(() => {
        for (const listener of subscribers.keys()) listener({ kind: 'orders', orderId });
      });
    },
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
