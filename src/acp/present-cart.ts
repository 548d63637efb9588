import type { MenuIndex } from '../domain/menu-index.js';
import type { CartView } from '../services/checkout/cart-service.js';
import { presentLineItems, presentTotals, problemMessage } from './present-checkout.js';

/**
 * The cart as the ACP `Cart` (schema.cart.json): line items and totals in the same shapes as a
 * checkout session's, as estimates, and what would stop an order as `messages[]`.
 */
export function presentCart(view: CartView, menu: MenuIndex): Record<string, unknown> {
  const { cart, priced } = view;
  return {
    id: cart.id,
    line_items: presentLineItems(cart.items, priced, { menu }),
    ...(cart.buyer === undefined ? {} : { buyer: cart.buyer }),
    currency: priced.currency.toLowerCase(),
    totals: presentTotals(priced),
    messages: view.problems.map(problemMessage),
    expires_at: cart.expiresAt.toISOString(),
  };
}
