import { AppError, type Violation } from '../../domain/app-error.js';
import type { DeliveryAddress } from '../../domain/delivery.js';
import { type DeliveryRuleTerms, deliveryViolations } from '../../domain/delivery-rules.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import type { Order } from '../../domain/order.js';
import { validateOrder } from '../../domain/order-rules.js';
import { type PickupContext, resolvePickup } from '../../domain/pickup.js';
import type { Clock } from '../../platform/clock.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { ShopService } from '../shop/shop-service.js';
import { pathsByLineId } from './order-pricing.js';

/** The checks an order goes through before it is written or placed. */
export interface OrderChecks {
  /** Every rule the order breaks against the menu, the limits and (when placing) the hours. */
  check(order: Pick<Order, 'lines'>, index: MenuIndex, placing: boolean, pickupAt?: Date): Violation[];
  /** What the pickup rules need now, with slot usage read from the store. */
  pickupContext(): PickupContext;
  /**
   * The delivery rules broken by delivering items worth `itemsSubtotal` to `address` (undefined: none
   * given), with paths into the order's fields.
   */
  deliveryProblems(address: DeliveryAddress | undefined, itemsSubtotal: number): Violation[];
  /**
   * Throws every problem of a changed cart at once, so nothing is written. A delivery below the minimum
   * is let through: adding items fixes it, and placing refuses it.
   */
  assertValidCart(order: Order, allowEmpty: boolean): void;
}

/** Where the delivery rules point among an order's fields, and what they suggest. */
const ORDER_DELIVERY_TERMS: DeliveryRuleTerms = {
  choicePath: 'delivery_address',
  addressPath: 'delivery_address',
  required: {
    line1: 'delivery_address.street',
    city: 'delivery_address.city',
    postalCode: 'delivery_address.postal_code',
  },
  itemsPath: 'lines',
  pickupHint: 'Choose pickup instead: leave out delivery_address, or set fulfillment "pickup".',
  addressHint: 'Ask the customer where to deliver and send delivery_address (street, city, postal_code).',
  partHint: 'Ask the customer for it and send the whole delivery_address again.',
};

/** Creates the checks over the shop's settings, the menu and the booked slots. */
export function createOrderChecks(deps: {
  shop: ShopService;
  menu: MenuCache;
  clock: Clock;
  orders: Pick<OrdersRepo, 'slotUsage'>;
}): OrderChecks {
  const { shop, menu, clock, orders } = deps;
  function check(
    order: Pick<Order, 'lines'>,
    index: MenuIndex,
    placing: boolean,
    pickupAt?: Date,
  ): Violation[] {
    const s = shop.settings();
    const violations = validateOrder({
      lines: order.lines,
      menu: index,
      limits: s.limits,
      calendar: shop.calendar(),
      now: clock.now(),
      placing,
      pausedByOwner: s.pausedByOwner,
      pickupAt,
      currency: s.profile.currency,
      locale: s.profile.locale,
    });
    return violations;
  }

  function pickupViolation(pickup: string): Violation | undefined {
    if (pickup === 'asap') return undefined;
    const result = resolvePickup(pickupContext(), pickup);
    return result.ok ? undefined : result.violation;
  }

  function pickupContext() {
    const s = shop.settings();
    return {
      now: clock.now(),
      calendar: shop.calendar(),
      settings: s.pickup,
      slotUsage: (slot: Date) => orders.slotUsage(slot.getTime()),
      locale: s.profile.locale,
    };
  }

  function deliveryProblems(address: DeliveryAddress | undefined, itemsSubtotal: number): Violation[] {
    return deliveryViolations({
      settings: shop.settings(),
      address,
      itemsSubtotal,
      terms: ORDER_DELIVERY_TERMS,
    });
  }

  /** A cart's delivery problems that refuse a change; the minimum waits for placing, so no subtotal. */
  function cartDeliveryProblems(order: Order): Violation[] {
    if (order.fulfillment.type !== 'delivery') return [];
    return deliveryProblems(order.fulfillment.address, 0).filter((v) => v.code !== 'delivery_minimum');
  }

  /** Validates a changed cart; a cart with any problem is refused and nothing is written. */
  function assertValidCart(order: Order, allowEmpty: boolean): void {
    const index = menu.index();
    const violations = pathsByLineId(check(order, index, false), order).filter(
      (v) => v.code !== 'order_empty' || !allowEmpty,
    );
    const pickup = pickupViolation(order.pickup);
    const all = [...violations, ...(pickup === undefined ? [] : [pickup]), ...cartDeliveryProblems(order)];
    if (all.length > 0) throw AppError.fromViolations(all);
  }
  return { check, pickupContext, deliveryProblems, assertValidCart };
}
