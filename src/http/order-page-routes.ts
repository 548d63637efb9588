import type { Hono } from 'hono';
import { addressLine, arrivalWindow } from '../domain/delivery.js';
import type { Order } from '../domain/order.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AppEnv } from './app.js';
import { escapeHtml, page } from './html.js';

/** Where an order's own page is: the permalink agents get and the QR on the kitchen ticket. */
export const ORDER_PAGE_PATH = '/o';

export function orderPageUrl(publicUrl: string, orderId: string): string {
  return `${publicUrl}${ORDER_PAGE_PATH}/${orderId}`;
}

/** A delivery's words where they differ from a pickup's. */
const DELIVERY_STATUS: Partial<Record<Order['state'], string>> = {
  ready: 'On its way to you',
  collected: 'Delivered — enjoy!',
};

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
 * The order's public page (its id is an unguessable 80-bit token): status, code, pickup time (or the
 * delivery address and window) and the first name only — no phone number, no surname, nothing else
 * about the customer.
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
    const delivered = order.fulfillment.type === 'delivery';
    const status = (delivered ? DELIVERY_STATUS[order.state] : undefined) ?? STATUS[order.state];
    c.header('cache-control', 'no-store');
    return c.html(
      page(
        `Order ${order.code}`,
        `<h1>Order ${escapeHtml(order.code)}</h1>
<p class="binding" style="font-size:1.2rem;font-weight:700">${escapeHtml(status)}</p>
<p>${firstName === undefined ? '' : `For ${escapeHtml(firstName)} · `}${escapeHtml(whenText(order, deps.shop))}</p>
${order.payment?.method === 'pay_at_pickup' ? `<p><strong>Pay ${delivered ? 'on delivery' : 'at pickup'}.</strong></p>` : ''}
<p class="hint">${escapeHtml(shop.name)} · ${escapeHtml(shop.address)} · ${escapeHtml(shop.phone)}</p>`,
      ),
    );
  });
}

/** "Pickup Tue, Nov 24, 12:30 PM", or "Delivery to 12 Oak St, 10001 Springfield, around Tue, Nov 24, 12:50 PM". */
function whenText(order: Order, shop: ShopService): string {
  const f = order.fulfillment;
  if (f.type === 'pickup') {
    return `Pickup ${order.pickupSlot === undefined ? 'as soon as it is ready' : shop.formatTime(order.pickupSlot)}`;
  }
  const window = arrivalWindow(f, order.pickupSlot, shop.settings().pickup.slotMinutes);
  const when = window === undefined ? '' : `, around ${shop.formatTime(window.start)}`;
  return `Delivery to ${addressLine(f.address)}${when}`;
}
