import type { ConfirmationRequest } from '../domain/confirmation.js';
import { dealOfLines } from '../domain/deal-groups.js';
import type { MenuIndex } from '../domain/menu-index.js';
import type { Order } from '../domain/order.js';
import type { OrderView } from '../services/orders/order-types.js';
import { type FulfillmentContext, fulfillmentResult, fulfillmentText } from './present-fulfillment.js';
import { money } from './present-money.js';
import { type stampCardResult, stampCardText } from './present-stamp-card.js';

/** A placed order's confirmation request, with the link the customer opens. */
export interface OrderConfirmation {
  readonly request: ConfirmationRequest;
  readonly url: string;
}

/** What rendering an order needs besides the order. */
export interface OrderContext extends FulfillmentContext {
  readonly publicUrl: string;
  readonly index: MenuIndex;
  /** The confirmation request of an order, if it was placed. */
  readonly confirmationOf: (orderId: string) => OrderConfirmation | undefined;
  /** The customer's stamp card as it stands after this call, if the shop has one. */
  readonly stampCard?: ReturnType<typeof stampCardResult> | undefined;
}

const STATUS_TEXT: Record<Order['state'], string> = {
  cart: 'not placed yet',
  awaiting_confirmation: 'waiting for the customer to confirm and pay on their phone',
  paid: 'paid — the kitchen has it',
  in_kitchen: 'being prepared',
  ready: 'ready for pickup',
  collected: 'collected',
  canceled: 'canceled',
  expired: 'expired (payment was not confirmed in time)',
  refunded: 'refunded',
};

/** A delivery's words where they differ from a pickup's. */
const DELIVERY_STATUS_TEXT: Partial<Record<Order['state'], string>> = {
  ready: 'ready — leaving with the driver',
  collected: 'delivered',
};

function nextStep(view: OrderView, confirmation: OrderConfirmation | undefined): string {
  const { order, problems } = view;
  switch (order.state) {
    case 'cart':
      if (confirmation?.request.state === 'denied')
        return 'The customer declined the order on their phone. Ask what to change, then place it again, or cancel it.';
      if (problems.length > 0)
        return `Fix before placing: ${problems.map((p) => p.suggestion ?? p.message).join(' ')}`;
      if (order.customerName === undefined)
        return 'Ask for the customer’s name, set it with update_order, then call place_order.';
      return 'Read the total to the customer; when they agree, call place_order with this order_id and a new idempotency_key.';
    case 'awaiting_confirmation':
      return confirmation === undefined
        ? 'Waiting for the customer to confirm on their phone; check again with get_order_status.'
        : `Ask the customer to open ${confirmation.url} on their phone (or scan the QR code), check it shows "${confirmation.request.bindingMessage}", and confirm. Then call get_order_status every ${confirmation.request.interval} s or so until it is paid.`;
    case 'expired':
      return 'The customer did not confirm in time. To order the same again, call reorder and place_order.';
    case 'paid':
    case 'in_kitchen':
      return order.fulfillment.type === 'delivery'
        ? `Nothing to do: the kitchen is on it, then the driver brings it. Order code ${order.code}.`
        : `Nothing to do: the kitchen is on it. Pickup code ${order.code}.`;
    case 'ready':
      return order.fulfillment.type === 'delivery'
        ? `Tell the customer order ${order.code} is ready and on its way with the driver.`
        : `Tell the customer to collect order ${order.code} at the counter.`;
    default:
      return 'This order is finished. To order the same again, call reorder.';
  }
}

function pickupDisplay(order: Order, ctx: OrderContext): string {
  if (order.pickupSlot !== undefined) return ctx.formatTime(order.pickupSlot);
  if (order.pickup === 'asap') return 'as soon as possible';
  const at = new Date(order.pickup);
  return Number.isNaN(at.getTime()) ? order.pickup : ctx.formatTime(at);
}

function lines(view: OrderView, ctx: OrderContext) {
  const cur = view.priced.currency;
  const m = (amount: number) => money(amount, cur, ctx.locale);
  const deals = dealOfLines(view.priced.applied);
  let next = 0;
  return view.order.lines.map((line) => {
    const index = ctx.index.items.has(line.itemId) || view.order.priced !== undefined ? next++ : undefined;
    const p = index === undefined ? undefined : view.priced.lines[index];
    const deal = index === undefined ? undefined : deals.get(index)?.name;
    return {
      line_id: line.lineId,
      item_id: line.itemId,
      name: p?.name ?? `${line.itemId} (no longer on the menu)`,
      quantity: line.quantity,
      options: (p?.options ?? []).map((o) => ({ option_id: o.id, name: o.name, price: m(o.price) })),
      ...(line.note === undefined ? {} : { note: line.note }),
      unit_price: m(p?.unitPrice ?? 0),
      line_total: m(p?.lineTotal ?? 0),
      ...(p === undefined || p.discount === 0 ? {} : { discount: m(p.discount) }),
      ...(deal === undefined ? {} : { meal_deal: deal }),
    };
  });
}

/** The structured order every ordering tool returns. */
export function orderResult(view: OrderView, ctx: OrderContext) {
  const { order, priced } = view;
  const confirmation =
    order.state === 'cart' && order.placedAt === undefined ? undefined : ctx.confirmationOf(order.id);
  const m = (amount: number) => money(amount, priced.currency, ctx.locale);
  const t = priced.totals;
  const pickup = pickupDisplay(order, ctx);
  return {
    order_id: order.id,
    code: order.code,
    status: order.state,
    lines: lines(view, ctx),
    pickup: {
      requested: order.pickup,
      ...(order.pickupSlot === undefined ? {} : { slot_start: order.pickupSlot.toISOString() }),
      display: pickup,
    },
    customer: {
      ...(order.customerName === undefined ? {} : { name: order.customerName }),
      ...(order.customerPhone === undefined ? {} : { phone: order.customerPhone }),
    },
    totals: {
      subtotal: m(t.subtotal),
      tax: m(t.tax),
      tax_included: t.taxIncluded,
      fee: m(t.fee),
      tip: m(t.tip),
      ...(t.delivery === undefined ? {} : { delivery: m(t.delivery) }),
      discount: m(t.discount),
      total: m(t.total),
    },
    offers_applied: priced.applied.map((a) => ({
      offer_id: a.offerId,
      kind: a.kind,
      name: a.name,
      ...(a.code === undefined ? {} : { code: a.code }),
      amount: m(a.amount),
    })),
    ...(order.promoCodes?.[0] === undefined ? {} : { promo_code: order.promoCodes[0] }),
    ...(ctx.stampCard === undefined ? {} : { stamp_card: ctx.stampCard }),
    fulfillment: fulfillmentResult(view, pickup, ctx),
    problems: view.problems.map((p) => ({ ...p })),
    ...(view.dropped.length > 0 ? { dropped: [...view.dropped] } : {}),
    ...(confirmation !== undefined && order.state === 'awaiting_confirmation'
      ? { confirmation_url: confirmation.url }
      : {}),
    ...(confirmation === undefined
      ? {}
      : {
          confirmation: {
            auth_req_id: confirmation.request.authReqId,
            state: confirmation.request.state,
            binding_message: confirmation.request.bindingMessage,
            url: confirmation.url,
            expires_at: confirmation.request.expiresAt.toISOString(),
            interval: confirmation.request.interval,
          },
        }),
    next_step: nextStep(view, confirmation),
  };
}

type OrderOut = ReturnType<typeof orderResult>;

/** Plain text of an order, readable in any chat. */
export function orderText(o: OrderOut): string {
  const items =
    o.lines.length === 0
      ? ['(no items yet)']
      : o.lines.map((l) => {
          const options = l.options.length > 0 ? ` (${l.options.map((x) => x.name).join(', ')})` : '';
          const note = l.note === undefined ? '' : ` — note: ${l.note}`;
          const off = l.discount === undefined ? '' : ` (−${l.discount.display})`;
          const part = l.meal_deal === undefined ? '- ' : `    - part of ${l.meal_deal}: `;
          return `${part}[${l.line_id}] ${l.quantity} × ${l.name}${options}${note}: ${l.line_total.display}${off}`;
        });
  const t = o.totals;
  const money = [
    ...(t.discount.amount > 0 ? [`Discounts −${t.discount.display}`] : []),
    `Subtotal ${t.subtotal.display}`,
    `${t.tax_included ? 'incl. tax' : 'tax'} ${t.tax.display}`,
    ...(t.fee.amount > 0 ? [`fee ${t.fee.display}`] : []),
    ...(t.tip.amount > 0 ? [`tip ${t.tip.display}`] : []),
    ...(t.delivery === undefined ? [] : [`delivery ${t.delivery.display}`]),
    `TOTAL ${t.total.display}`,
  ].join(' · ');
  const status =
    (o.fulfillment?.type === 'delivery' ? DELIVERY_STATUS_TEXT[o.status] : undefined) ??
    STATUS_TEXT[o.status];
  return [
    `Order ${o.code} (${o.order_id}) — ${status}`,
    ...items,
    ...o.offers_applied.map(
      (a) => `Applied: ${a.name}${a.code === undefined ? '' : ` (code ${a.code})`} −${a.amount.display}`,
    ),
    money,
    ...(o.stamp_card === undefined ? [] : [stampCardText(o.stamp_card)]),
    ...fulfillmentText(o.fulfillment, o.pickup.display, o.customer.name),
    ...(o.problems.length > 0
      ? ['Problems:', ...o.problems.map((p) => `- ${p.message}${p.suggestion ? ` ${p.suggestion}` : ''}`)]
      : []),
    ...(o.dropped !== undefined ? [`Left out (not available now): ${o.dropped.join(', ')}`] : []),
    ...(o.confirmation_url === undefined
      ? []
      : [`Confirm and pay here: ${o.confirmation_url} (shows "${o.confirmation?.binding_message}")`]),
    `Next: ${o.next_step}`,
  ].join('\n');
}
