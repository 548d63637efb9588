import { addressLine, arrivalWindow } from '../domain/delivery.js';
import type { Order } from '../domain/order.js';
import type { OrderState } from '../domain/order-lifecycle.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { escapeHtml } from './html.js';
import { ITEMS_STYLE, type OrderStampCard, orderItems, stampCardNote } from './order-page-items.js';

/** A delivery's words where they differ from a pickup's. */
const DELIVERY_STATUS: Partial<Record<OrderState, string>> = {
  ready: 'On its way to you',
  collected: 'Delivered — enjoy!',
};

const STATUS: Record<OrderState, string> = {
  cart: 'Not placed yet',
  awaiting_confirmation: 'Waiting for you to confirm on your phone',
  paid: 'Confirmed — the kitchen has it',
  in_kitchen: 'Being prepared',
  ready: 'Ready for pickup',
  collected: 'Collected — enjoy!',
  canceled: 'Canceled',
  expired: 'Expired (not confirmed in time)',
  refunded: 'Refunded',
};

/** The steps of the timeline, and the state each one is reached in. */
const STEPS: readonly { readonly state: OrderState; readonly label: string; readonly delivery?: string }[] = [
  { state: 'paid', label: 'Confirmed' },
  { state: 'in_kitchen', label: 'In the kitchen' },
  { state: 'ready', label: 'Ready', delivery: 'On its way' },
  { state: 'collected', label: 'Collected', delivery: 'Delivered' },
];

/** States after which the page no longer changes: no live updates, no refresh, no opt-in. */
export const FINAL_STATES: ReadonlySet<OrderState> = new Set([
  'collected',
  'canceled',
  'expired',
  'refunded',
]);

const TIMELINE_STYLE = `<style>.timeline{list-style:none;padding:0;margin:1rem 0}.timeline li{padding:.45rem 0 .45rem 2rem;position:relative;color:#777}
.timeline li::before{content:"";position:absolute;left:.35rem;top:.7rem;width:.8rem;height:.8rem;border-radius:50%;border:2px solid #bbb;background:#fff}
.timeline li.done{color:#222}.timeline li.done::before{background:#1a5;border-color:#1a5}
.timeline li.now{color:#222;font-weight:700}.timeline li.now::before{border-color:#1a5;box-shadow:0 0 0 3px #cfe9d8}
.status{font-size:1.2rem;font-weight:700;background:#f4f4f4;padding:.75rem;border-radius:.4rem;overflow-wrap:anywhere}</style>`;

/** confirmed → in the kitchen → ready → collected, each step done, current or to come. */
function timeline(order: Order): string {
  const reached = STEPS.findIndex((s) => s.state === order.state);
  if (reached < 0 && order.state !== 'awaiting_confirmation') return '';
  const delivered = order.fulfillment.type === 'delivery';
  const items = STEPS.map((step, i) => {
    const label = (delivered ? step.delivery : undefined) ?? step.label;
    const kind = i < reached ? 'done' : i === reached ? 'done now' : '';
    const current = i === reached ? ' aria-current="step"' : '';
    return `<li class="${kind}"${current}>${escapeHtml(label)}</li>`;
  });
  return `<ol class="timeline">${items.join('')}</ol>`;
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

/**
 * When the kitchen expects to have it ready, while it is being made: the slot it was booked into, or
 * (without one) the shop's lead time after it was placed; a time already past reads "any minute now".
 */
function estimateText(order: Order, shop: ShopService, now: Date): string | undefined {
  if (order.state !== 'paid' && order.state !== 'in_kitchen') return undefined;
  const lead = shop.settings().pickup.leadMinutes * 60_000;
  const due =
    order.pickupSlot ??
    (order.placedAt === undefined ? undefined : new Date(order.placedAt.getTime() + lead));
  if (due === undefined) return undefined;
  if (due.getTime() <= now.getTime()) return 'Kitchen’s estimate: any minute now.';
  return `Kitchen’s estimate: ready around ${shop.formatTime(due)}.`;
}

/**
 * The part of the order page that changes as the order moves (the script swaps it in on each event);
 * the stamp card is in it, as paying the order may add a stamp.
 */
function orderLivePart(order: Order, shop: ShopService, now: Date, stamps: string): string {
  const firstName = order.customerName?.trim().split(/\s+/)[0];
  const delivered = order.fulfillment.type === 'delivery';
  const status = (delivered ? DELIVERY_STATUS[order.state] : undefined) ?? STATUS[order.state];
  const estimate = estimateText(order, shop, now);
  const final = FINAL_STATES.has(order.state);
  return `<div id="order-live" aria-live="polite"${final ? ' data-final="1"' : ''}>
<p class="status">${escapeHtml(status)}</p>${timeline(order)}
<p>${firstName === undefined ? '' : `For ${escapeHtml(firstName)} · `}${escapeHtml(whenText(order, shop))}</p>
${estimate === undefined ? '' : `<p>${escapeHtml(estimate)}</p>`}
${order.payment?.method === 'pay_at_pickup' && !final ? `<p><strong>Pay ${delivered ? 'on delivery' : 'at pickup'}.</strong></p>` : ''}${stamps}</div>`;
}

/**
 * The whole order page's body: the code, the live part (with the customer's stamp card, when they
 * signed in and the shop has one), the opt-in (when given), the order's items and totals, the shop.
 */
export function orderPageBody(
  order: Order,
  shop: ShopService,
  now: Date,
  follow: string,
  stampCard?: OrderStampCard | undefined,
): string {
  const profile = shop.settings().profile;
  const stamps = stampCardNote(stampCard, order.currency, profile.locale);
  return `${TIMELINE_STYLE}${ITEMS_STYLE}<h1>Order ${escapeHtml(order.code)}</h1>
${orderLivePart(order, shop, now, stamps)}
${follow}
${orderItems(order, profile.locale)}
<p class="hint">${escapeHtml(profile.name)} · ${escapeHtml(profile.address)} · ${escapeHtml(profile.phone)}</p>`;
}
