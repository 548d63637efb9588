import { AppError } from '../../domain/app-error.js';
import type { Order } from '../../domain/order.js';
import type { PricedOrder } from '../../domain/pricing.js';
import type { PaymentLine, PaymentMethod, PaymentRequest } from './payment-port.js';

/** Longest line name sent to a provider; a payment page has no room for more. */
const MAX_NAME = 120;

function lineName(name: string, options: readonly { readonly name: string }[]): string {
  const full = options.length === 0 ? name : `${name} (${options.map((o) => o.name).join(', ')})`;
  return full.length <= MAX_NAME ? full : `${full.slice(0, MAX_NAME - 1)}…`;
}

/**
 * What a payment page lists for a priced order: each line at its unit price with options, then tax
 * (when added on top), the service fee, the tip and the delivery fee. When these would not add up to the total, one line
 * for the whole order instead: the customer is never charged a sum other than the order's total.
 */
export function paymentLinesOf(priced: PricedOrder, orderCode: string): PaymentLine[] {
  const { totals } = priced;
  const lines: PaymentLine[] = priced.lines.map((line) => ({
    name: lineName(line.name, line.options),
    quantity: line.quantity,
    unitAmount: line.unitPrice,
  }));
  const extras: [string, number][] = [
    ['Tax', totals.taxIncluded ? 0 : totals.tax],
    ['Service fee', totals.fee],
    ['Tip', totals.tip],
    ['Delivery', totals.delivery ?? 0],
  ];
  for (const [name, amount] of extras) if (amount > 0) lines.push({ name, quantity: 1, unitAmount: amount });
  const sum = lines.reduce((total, line) => total + line.unitAmount * line.quantity, 0);
  const valid = lines.every(
    (l) => Number.isSafeInteger(l.unitAmount) && l.unitAmount >= 0 && l.quantity >= 1,
  );
  if (sum === totals.total && valid && lines.length > 0) return lines;
  return [{ name: `Order ${orderCode}`, quantity: 1, unitAmount: totals.total }];
}

/** The payment request for a placed order (its prices are frozen at placement). */
export function paymentRequestFor(
  order: Order,
  options: {
    readonly attempt: number;
    readonly method: PaymentMethod;
    readonly returnPath: string;
    readonly expiresAt: Date;
  },
): PaymentRequest {
  const priced = order.priced;
  if (priced === undefined || order.state === 'cart') {
    throw new AppError('internal', `Order ${order.code} is not placed; there is nothing to pay yet.`);
  }
  return {
    orderId: order.id,
    orderCode: order.code,
    attempt: options.attempt,
    amount: { amount: priced.totals.total, currency: priced.currency },
    lines: paymentLinesOf(priced, order.code),
    method: options.method,
    returnPath: options.returnPath,
    expiresAt: options.expiresAt,
  };
}
