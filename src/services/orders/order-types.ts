import type { Violation } from '../../domain/app-error.js';
import type { DeliveryAddress } from '../../domain/delivery.js';
import type { DiscountedOrder } from '../../domain/offer-types.js';
import type { Order } from '../../domain/order.js';
import type { TipChoice } from '../../domain/pricing.js';

/** Who is ordering, as the surface (OAuth, transport) established it. */
export interface CustomerIdentity {
  readonly subject: string;
}

export interface LineInput {
  readonly itemId: string;
  readonly quantity: number;
  readonly optionIds?: readonly string[] | undefined;
  readonly note?: string | undefined;
  /** A meal deal's parts, one per slot in the deal's order (the line's item id is the deal's id). */
  readonly choices?: readonly Omit<LineInput, 'quantity' | 'choices'>[] | undefined;
}

/**
 * How the customer wants the order: picked up, or delivered to an address — omitted, the one already on
 * the order. An address with a blank `name` goes to the order's customer: the name and phone the order
 * has when it is placed become the recipient's (a conversation's order); an ACP checkout names its recipient.
 */
export type FulfillmentChoice =
  | { readonly type: 'pickup' }
  | { readonly type: 'delivery'; readonly address?: DeliveryAddress | undefined };

/** Order fields a customer may set; undefined leaves a field as it is. */
export interface OrderDetails {
  /** A promo code to apply; "" removes the order's code. */
  readonly promoCode?: string | undefined;
  /** Every code at once, replacing the order's (an ACP checkout's codes that applied to its session). */
  readonly promoCodes?: readonly string[] | undefined;
  readonly pickupTime?: string | undefined;
  readonly customerName?: string | undefined;
  readonly customerPhone?: string | undefined;
  readonly tip?: TipChoice | undefined;
  /** Pickup, or delivery to an address. */
  readonly fulfillment?: FulfillmentChoice | undefined;
}

export interface LineChange {
  readonly lineId: string;
  readonly quantity?: number | undefined;
  readonly optionIds?: readonly string[] | undefined;
  readonly note?: string | undefined;
}

export interface OrderChanges extends OrderDetails {
  readonly addLines?: readonly LineInput[] | undefined;
  readonly updateLines?: readonly LineChange[] | undefined;
  readonly removeLineIds?: readonly string[] | undefined;
}

/** An order with its prices worked out and anything that would stop it from being placed. */
export interface OrderView {
  readonly order: Order;
  /** Prices after offers; an order placed before offers existed shows no discount. */
  readonly priced: DiscountedOrder;
  /** Problems that block placing (an item sold out since it was added …); empty when it can be placed. */
  readonly problems: readonly Violation[];
  /** Lines left out by `reorder` because they can no longer be ordered. */
  readonly dropped: readonly string[];
  /** What `reorder` chose for the fulfillment and why ("Delivering to … again, as last time."). */
  readonly fulfillmentNote?: string | undefined;
}
