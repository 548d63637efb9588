import type { ClockWatch } from './clock-watch.js';
import type { StorageState } from './storage-state.js';

/**
 * The shop's own reasons to take no orders for a while, asked by every use case that starts, changes or
 * places an order, cart or checkout session; each refusal is an AppError with its code, answered through
 * the one error table (src/http/error-response.ts). A paused or closed shop is the shop service's rule.
 */
export interface OrderGate {
  /** Throws while new orders, carts and checkout sessions must wait: the clock is behind, the disk short of space. */
  assertCanStart(): void;
  /**
   * Throws while orders and checkout sessions already started may not be changed, placed or completed:
   * the clock is behind (a full disk lets them finish, so the orders taken can be confirmed).
   */
  assertCanContinue(): void;
}

/** The gate over the clock watch and, in a running shop, the disk's state. */
export function createOrderGate(deps: {
  clock: Pick<ClockWatch, 'assertClockSet'>;
  storage?: Pick<StorageState, 'assertRoomForOrders'> | undefined;
}): OrderGate {
  return {
    assertCanStart() {
      // The clock first: with a wrong clock every other answer (hours, slots) is wrong too.
      deps.clock.assertClockSet();
      deps.storage?.assertRoomForOrders();
    },
    assertCanContinue() {
      deps.clock.assertClockSet();
    },
  };
}
