import type { OrderTotals } from '../../domain/pricing.js';

/** One ACP `Total` (the same type for checkout sessions, carts and orders). */
export interface AcpTotal {
  readonly type: string;
  readonly display_text: string;
  readonly amount: number;
}

/**
 * Priced amounts as ACP totals: the items before discounts (for sessions and carts, and whenever an
 * offer took something off), what the offers took off the items (`items_discount`: every discount is
 * allocated to line items, discount extension RFC §8.1), the subtotal after them, the tax when it comes
 * on top, the service fee, the tip and the delivery fee when there are any, the total.
 */
export function acpTotals(
  t: OrderTotals & { readonly discount?: number },
  options: { readonly itemsBase?: boolean } = {},
): AcpTotal[] {
  const list: AcpTotal[] = [];
  const discount = t.discount ?? 0;
  if (options.itemsBase === true || discount > 0)
    list.push({ type: 'items_base_amount', display_text: 'Items', amount: t.itemsBase });
  if (discount > 0) list.push({ type: 'items_discount', display_text: 'Discounts', amount: discount });
  list.push({ type: 'subtotal', display_text: 'Subtotal', amount: t.subtotal });
  if (!t.taxIncluded) list.push({ type: 'tax', display_text: 'Tax', amount: t.tax });
  if (t.fee > 0) list.push({ type: 'fee', display_text: 'Service fee', amount: t.fee });
  if (t.tip > 0) list.push({ type: 'tip', display_text: 'Tip', amount: t.tip });
  if (t.delivery !== undefined)
    list.push({ type: 'fulfillment', display_text: 'Delivery', amount: t.delivery });
  list.push({
    type: 'total',
    display_text: t.taxIncluded && t.tax > 0 ? 'Total (tax included)' : 'Total',
    amount: t.total,
  });
  return list;
}
