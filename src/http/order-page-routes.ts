import type { Hono } from 'hono';
import type { Order } from '../domain/order.js';
import type { ShopService } from '../services/shop-service.js';
import type { AppEnv } from './app.js';
import { escapeHtml, page } from './html.js';

/** Where an order's own page is: the permalink agents get and the QR on the kitchen ticket. */
export const ORDER_PAGE_PATH = '/o';

export function orderPageUrl(publicUrl: string, orderId: string): string {
  return `${publicUrl}${ORDER_PAGE_PATH}/${orderId}`;
}

const STATUS: Record<Order['state'], string> = {
  cart: 'Not placed yet',
  awaiting_confirmation: 'Waiting for you to confirm on your phone',
  paid: 'Paid — the kitchen has it',
  in_kitchen: 'Being prepared',
  ready: 'Ready for pickup',
  collected: 'Collected — enjoy!',
  canceled: 'Canceled',
  expired: 'Expired (not confirmed in time)',
  refunded: 'Refunded',
};

/**
 * The order's public page (its id is an unguessable 80-bit token): status, code, pickup time and the
 * first name only — no phone number, no surname, nothing else about the customer.
 */
export function mountOrderPage(
  app: Hono<AppEnv>,
  deps: { order: (id: string) => Order | undefined; shop: ShopService },
): void {
  app.get(`${ORDER_PAGE_PATH}/:id`, (c) => {
    const order = deps.order(c.req.param('id'));
    const shop = deps.shop.settings().profile;
    if (order === undefined || order.state === 'cart') {
      return c.html(
        page('Order not found', '<h1>Order not found</h1><p>Check the link or ask the shop.</p>'),
        404,
      );
    }
    const firstName = order.customerName?.trim().split(/\s+/)[0];
    const pickup =
      order.pickupSlot === undefined ? 'as soon as it is ready' : deps.shop.formatTime(order.pickupSlot);
    c.header('cache-control', 'no-store');
    return c.html(
      page(
        `Order ${order.code}`,
        `<h1>Order ${escapeHtml(order.code)}</h1>
<p class="binding" style="font-size:1.2rem;font-weight:700">${escapeHtml(STATUS[order.state])}</p>
<p>${firstName === undefined ? '' : `For ${escapeHtml(firstName)} · `}Pickup ${escapeHtml(pickup)}</p>
${order.payment?.method === 'pay_at_pickup' ? '<p><strong>Pay at pickup.</strong></p>' : ''}
<p class="hint">${escapeHtml(shop.name)} · ${escapeHtml(shop.address)} · ${escapeHtml(shop.phone)}</p>`,
      ),
    );
  });
}
