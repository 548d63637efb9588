import { asDiscounted } from './offers.js';
import type { PricedOrder } from './pricing.js';

/** What refunding a whole order gives back, in integer minor units of the order's currency. */
export interface OrderRefund {
  /** Everything the customer was charged: the order's total. */
  readonly amount: number;
  /** The items as sold: after every discount (tax included where prices include it). */
  readonly items: number;
  /** Tax given back: all the order's tax (inside `items` where prices include it, added on top otherwise). */
  readonly tax: number;
  /** Service fee, tip and delivery: the order's, so a whole-order refund gives them back too. */
  readonly extras: number;
  /** What offers took off: never charged, so not given back. */
  readonly discount: number;
}

/**
 * The refund of a whole order: exactly what was charged, so a discounted order gives back its price
 * after discounts, the tax worked out on that price, and the fee, tip and delivery — never the menu
 * price the offers took from.
 */
export function orderRefund(priced: PricedOrder): OrderRefund {
  const t = asDiscounted(priced).totals;
  const extras = t.fee + t.tip + (t.delivery ?? 0);
  return { amount: t.total, items: t.subtotal, tax: t.tax, extras, discount: t.discount };
}
