import { AppError, type Violation } from '../../domain/app-error.js';
import { addressLine, type DeliveryAddress, type OrderFulfillment, PICKUP } from '../../domain/delivery.js';
import type { Order } from '../../domain/order.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import type { FulfillmentChoice } from './order-types.js';

/** The delivery rules, as the order checks apply them (src/services/order-checks.ts). */
type DeliveryProblems = (address: DeliveryAddress | undefined, itemsSubtotal: number) => Violation[];

/** Problems adding items fixes; the others refuse a change at once. */
const notMinimum = (v: Violation) => v.code !== 'delivery_minimum';

/**
 * The fulfillment after the customer's choice: pickup, delivery to the address given, or delivery to
 * the address already on the order. Delivery with no address to go to is refused here (nothing to keep).
 */
export function chooseFulfillment(
  current: OrderFulfillment,
  choice: FulfillmentChoice | undefined,
  settings: ShopSettings,
  deliveryProblems: DeliveryProblems,
): OrderFulfillment {
  if (choice === undefined) return current;
  if (choice.type === 'pickup') return PICKUP;
  const address = choice.address ?? (current.type === 'delivery' ? current.address : undefined);
  if (address === undefined) {
    // Says the shop does not deliver, or asks for the address.
    throw AppError.fromViolations(deliveryProblems(undefined, 0).filter(notMinimum));
  }
  return { type: 'delivery', address, leadMinutes: settings.delivery.leadMinutes };
}

/**
 * The fulfillment as placed: a delivery to the order's customer (blank recipient) gets their name and
 * phone, and every delivery the trip's minutes as of now.
 */
export function placedFulfillment(order: Order, settings: ShopSettings): OrderFulfillment {
  const f = order.fulfillment;
  if (f.type !== 'delivery') return f;
  const toCustomer = f.address.name.trim() === '';
  const phone = toCustomer ? (f.address.phone ?? order.customerPhone) : f.address.phone;
  const address: DeliveryAddress = {
    ...f.address,
    name: toCustomer ? (order.customerName ?? '') : f.address.name,
    ...(phone === undefined ? {} : { phone }),
  };
  return { type: 'delivery', address, leadMinutes: settings.delivery.leadMinutes };
}

/**
 * How "the same again" is fulfilled: a delivery goes to the same address when the shop still delivers
 * there (the minimum is checked when placing), anything else is picked up; the note says which and why
 * (a note on a pickup always says why it is no delivery: the surface adds how to deliver elsewhere).
 */
export function repeatFulfillment(
  source: Order,
  deliveryProblems: DeliveryProblems,
): { readonly choice: FulfillmentChoice; readonly note: string | undefined } {
  const f = source.fulfillment;
  if (f.type !== 'delivery') return { choice: PICKUP, note: undefined };
  const where = addressLine(f.address);
  const refused = deliveryProblems(f.address, 0).find(notMinimum);
  if (refused === undefined) {
    return {
      choice: { type: 'delivery', address: f.address },
      note: `Delivery to ${where} again, as last time.`,
    };
  }
  return {
    choice: PICKUP,
    note: `This order is for pickup: last time it was delivered to ${where}, but ${lowerFirst(refused.message)}`,
  };
}

function lowerFirst(text: string): string {
  // Messages start with the shop's name or "The"; only the article is lowered.
  return text.startsWith('The ') ? `the ${text.slice(4)}` : text;
}
