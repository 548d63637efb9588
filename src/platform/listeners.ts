/**
 * A typed listener list, as zigbee2mqtt's event bus: parts subscribe where they are built and the
 * emitter never knows who listens. Listeners run in the order they subscribed, synchronously, in the
 * emitter's own call (and so inside its transaction, when it has one); one that throws stops the rest
 * and the error reaches the emitter.
 */
export interface Listeners<Args extends unknown[]> {
  on(listener: (...args: Args) => void): void;
  emit(...args: Args): void;
}

/** Creates an empty listener list. */
export function createListeners<Args extends unknown[]>(): Listeners<Args> {
  const listeners: ((...args: Args) => void)[] = [];
  return {
    on(listener) {
      listeners.push(listener);
    },
    emit(...args) {
      for (const listener of listeners) listener(...args);
    },
  };
}
