import type { OrderFulfillment } from './delivery.js';
import type { OrderState } from './order-lifecycle.js';
import type { PricedOrder, TipChoice } from './pricing.js';

/** One line of an order as the customer built it; prices are worked out from the menu. */
export interface OrderLine {
  /** Stable within the order ("l1", "l2"), so a line can be changed or removed by id. */
  readonly lineId: string;
  readonly itemId: string;
  readonly quantity: number;
  readonly optionIds: readonly string[];
  readonly note: string | undefined;
}

/** A customer as the shop knows them: the sign-in subject plus the contact they gave. */
export interface Customer {
  readonly id: string;
  /** Who signed in: the OAuth `sub`, or the transport's identity. */
  readonly subject: string;
  readonly name: string | undefined;
  readonly phone: string | undefined;
}

/**
 * How a paid order was paid: the ticket says PAY AT PICKUP for the one method that took no money yet.
 * `counter_cash` and `counter_card` were taken at the shop's own till (an order keyed in by staff, or a
 * pay-at-pickup order settled when collected): no provider holds them, so a refund is handed back there.
 */
export interface OrderPayment {
  readonly method:
    | 'demo_card'
    | 'pay_at_pickup'
    | 'stripe'
    | 'acp_delegated'
    | 'counter_cash'
    | 'counter_card';
  /** The provider's reference (charge, session, vault payment), for refunds and the audit. */
  readonly reference?: string | undefined;
}

/** An order from cart to collection. `priced` is frozen when the order is placed. */
export interface Order {
  readonly id: string;
  /** Short code people say and see on tickets ("K7M2"). */
  readonly code: string;
  readonly customerId: string;
  readonly state: OrderState;
  readonly lines: readonly OrderLine[];
  readonly nextLine: number;
  /** "asap" or the ISO time the customer asked for. */
  readonly pickup: string;
  /** The slot the order was booked into when placed: when the kitchen has it ready. */
  readonly pickupSlot: Date | undefined;
  /** Collected at the counter, or delivered (then the address and the trip's minutes). */
  readonly fulfillment: OrderFulfillment;
  readonly customerName: string | undefined;
  readonly customerPhone: string | undefined;
  readonly tip: TipChoice;
  readonly currency: string;
  readonly priced: PricedOrder | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly placedAt: Date | undefined;
  /** Set when the order is paid (or confirmed to be paid at pickup). */
  readonly payment?: OrderPayment | undefined;
  /** The promo codes the customer typed, as typed; priced with the order until it is placed. */
  readonly promoCodes?: readonly string[] | undefined;
  /** Bumped on every write; a write with a stale version changes nothing. */
  readonly version: number;
}
