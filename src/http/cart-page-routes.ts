import type { Hono } from 'hono';
import type { MenuIndex } from '../domain/menu-index.js';
import { formatMoney } from '../domain/money.js';
import type { CartView } from '../services/checkout/cart-service.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AppEnv } from './app.js';
import { escapeHtml, page } from './html.js';

/** Where an ACP cart's own page is: the cart's `continue_url`. */
export const CART_PAGE_PATH = '/cart';

export function cartPageUrl(publicUrl: string, cartId: string): string {
  return `${publicUrl}${CART_PAGE_PATH}/${cartId}`;
}

export interface CartPageDeps {
  readonly cart: (id: string) => CartView | undefined;
  readonly menu: () => MenuIndex;
  readonly shop: Pick<ShopService, 'settings' | 'formatTime'>;
}

/** One line of the page: "2 × Cheeseburger (Extra bacon) — $25.90", or why it is not counted. */
function lineHtml(view: CartView, index: number, menu: MenuIndex, currency: string, locale: string) {
  const entry = view.cart.items[index];
  if (entry === undefined) return '';
  const item = menu.items.get(entry.itemId);
  // Priced lines follow the items still on the menu, in order (as the ACP line items do).
  const before = view.cart.items.slice(0, index).filter((i) => menu.items.has(i.itemId)).length;
  const priced = item === undefined ? undefined : view.linePrices.lines[before];
  const options = priced?.options.map((o) => o.name).join(', ') ?? '';
  const name = `${entry.quantity} × ${item?.name ?? entry.itemId}${options === '' ? '' : ` (${options})`}`;
  const amount = view.leftOut.has(index)
    ? 'not available now, not counted'
    : formatMoney(priced?.lineTotal ?? 0, currency, locale);
  return `<li>${escapeHtml(name)} — ${escapeHtml(amount)}</li>`;
}

/**
 * The cart's public page (its id is an unguessable 80-bit token, as an order's is): the items, which
 * of them cannot be had now, and the estimated total — nothing about the buyer. It is where the buyer,
 * or another agent, picks the basket up (ACP cart §3.3 `continue_url`: "cart handoff, sharing, or
 * session recovery"); ordering it stays the agent's checkout.
 */
export function mountCartPage(app: Hono<AppEnv>, deps: CartPageDeps): void {
  app.get(`${CART_PAGE_PATH}/:id`, (c) => {
    const view = deps.cart(c.req.param('id'));
    c.header('cache-control', 'no-store');
    if (view === undefined) {
      const body = '<h1>Basket not found</h1><p>It may have expired or been emptied. Ask your assistant.</p>';
      return c.html(page('Basket not found', body), 404);
    }
    const menu = deps.menu();
    const { profile } = deps.shop.settings();
    const currency = view.priced.currency;
    const lines = view.cart.items.map((_, i) => lineHtml(view, i, menu, currency, profile.locale));
    const total = formatMoney(view.priced.totals.total, currency, profile.locale);
    // The lines show menu prices; what the shop's offers take off them is said once, by name.
    const { applied, totals } = view.priced;
    const offers =
      totals.discount === 0
        ? ''
        : `<p>${escapeHtml(applied.map((a) => a.name).join(', '))}: −${escapeHtml(formatMoney(totals.discount, currency, profile.locale))}</p>`;
    return c.html(
      page(
        `Basket at ${profile.name}`,
        `<h1>Basket at ${escapeHtml(profile.name)}</h1>
<ul>${lines.join('')}</ul>
${offers}<p><strong>Estimated total ${escapeHtml(total)}</strong></p>
<p>To order it, ask your assistant to check out basket <code>${escapeHtml(view.cart.id)}</code>.
It is kept until ${escapeHtml(deps.shop.formatTime(view.cart.expiresAt))}.</p>
<p class="hint">${escapeHtml(profile.name)} · ${escapeHtml(profile.address)} · ${escapeHtml(profile.phone)}</p>`,
      ),
    );
  });
}
