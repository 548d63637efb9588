import { earliestPickup, listPickupSlots, resolvePickup } from '../../domain/pickup.js';
import type { Clock } from '../../platform/clock.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { OrderChecks } from '../orders/order-checks.js';
import type { PickupOption } from './checkout-types.js';

const PICKUP_SLOTS_OFFERED = 4;
const MINUTE_MS = 60_000;

/** Pickup option ids: `pickup_asap`, or `pickup_` and the slot's UTC start (`pickup_20261124T1730Z`). */
export function optionIdOf(pickup: string): string {
  if (pickup === 'asap') return 'pickup_asap';
  return `pickup_${pickup.replace(/[-:]/g, '').replace(/00(\.000)?Z$/, 'Z')}`;
}

/** The pickup (`asap` or an ISO instant) an option id names, or undefined when it names none. */
export function pickupOfOptionId(id: string): string | undefined {
  if (id === 'pickup_asap') return 'asap';
  const match = /^pickup_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z$/.exec(id);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi] = match;
  const instant = new Date(`${y}-${mo}-${d}T${h}:${mi}:00Z`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/** The pickup times sessions offer now, and whether a pickup can be had. */
export interface PickupOffers {
  /** As soon as possible, then the next free slots. */
  options(): PickupOption[];
  resolve(pickup: string): ReturnType<typeof resolvePickup>;
}

/**
 * Pickup options and slots hold until the minute turns or an order is written (slots fill up): every
 * session of that minute shares them instead of walking the calendar again.
 */
export function createPickupOffers(deps: {
  readonly clock: Clock;
  readonly ordersRepo: Pick<OrdersRepo, 'writes'>;
  readonly checks: Pick<OrderChecks, 'pickupContext'>;
}): PickupOffers {
  const { clock, ordersRepo, checks } = deps;
  let key = '';
  let offered: PickupOption[] = [];
  const resolved = new Map<string, ReturnType<typeof resolvePickup>>();

  function current(): void {
    const now = `${Math.floor(clock.now().getTime() / MINUTE_MS)}:${ordersRepo.writes()}`;
    if (now === key) return;
    key = now;
    offered = pickupOptions();
    resolved.clear();
  }

  function pickupOptions(): PickupOption[] {
    const ctx = checks.pickupContext();
    const asap = { id: 'pickup_asap', readyBy: earliestPickup(ctx), pickup: 'asap' };
    const slots = listPickupSlots(ctx, PICKUP_SLOTS_OFFERED).map((slot) => ({
      id: optionIdOf(slot.start.toISOString()),
      readyBy: slot.start,
      pickup: slot.start.toISOString(),
    }));
    return [asap, ...slots.filter((s) => s.readyBy.getTime() !== asap.readyBy?.getTime())];
  }

  return {
    options() {
      current();
      return offered;
    },
    resolve(pickup) {
      current();
      let result = resolved.get(pickup);
      if (result === undefined) {
        result = resolvePickup(checks.pickupContext(), pickup);
        if (resolved.size < 64) resolved.set(pickup, result);
      }
      return result;
    },
  };
}
