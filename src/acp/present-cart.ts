import type { MenuIndex } from '../domain/menu-index.js';
import { cartPageUrl } from '../http/cart-page-routes.js';
import type { CartView } from '../services/checkout/cart-service.js';
import { problemMessage } from './present-checkout.js';
import { presentLineItems, presentTotals } from './present-line-items.js';

/** What a line left out of the estimate totals: nothing, as a line whose item left the menu does. */
const NOT_COUNTED = [{ type: 'total', display_text: 'Total', amount: 0 }];

/**
 * The cart as the ACP `Cart` (schema.cart.json): line items and totals in the same shapes as a
 * checkout session's, as estimates, and what would stop an order as `messages[]` (checkout's words). A
 * line that cannot be had now (sold out, off the menu) stays, with its price as `unit_amount`, but counts
 * neither in its own totals nor in the cart's; its message (`out_of_stock`, or `not_found` for an item
 * off the menu) says why.
 */
export function presentCart(view: CartView, menu: MenuIndex, publicUrl: string): Record<string, unknown> {
  const { cart, priced } = view;
  const lines = presentLineItems(cart.items, view.linePrices, { menu }, view.offerTerms);
  return {
    id: cart.id,
    line_items: lines.map((line, i) => (view.leftOut.has(i) ? { ...line, totals: NOT_COUNTED } : line)),
    ...(cart.buyer === undefined ? {} : { buyer: cart.buyer }),
    currency: priced.currency.toLowerCase(),
    totals: presentTotals(priced),
    messages: view.problems.map(problemMessage),
    // "URL for cart handoff, sharing, or session recovery" (ACP cart §3.3; §1: "enables cart sharing
    // between agents and human-in-the-loop flows"): the shop's page of this cart, as in the RFC's
    // example (https://seller.example.com/cart/cart_abc123). No checkout exists yet to point at.
    continue_url: cartPageUrl(publicUrl, cart.id),
    expires_at: cart.expiresAt.toISOString(),
  };
}
