import { acpOrderStatus } from '../../domain/acp-order-status.js';
import { arrivalWindow, type OrderFulfillment } from '../../domain/delivery.js';
import type { DiscountedTotals } from '../../domain/offer-types.js';
import { asDiscounted } from '../../domain/offers.js';
import type { Order } from '../../domain/order.js';
import type { OrderState } from '../../domain/order-lifecycle.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import { type AcpTotal, acpTotals } from '../checkout/acp-totals.js';

/** What an order event says besides the order itself. */
export interface OrderPayloadContext {
  readonly checkoutSessionId: string;
  readonly permalinkUrl: string;
  readonly settings: ShopSettings;
  /** The order's state changes, oldest first, including the one being reported. */
  readonly trail: readonly { readonly id: number; readonly to: OrderState; readonly atMs: number }[];
}

type Json = Record<string, unknown>;

const MINUTE_MS = 60_000;

/**
 * The fulfillment's status (rfc.orders §4.3): a pickup is `ready_for_pickup` once the kitchen marks it
 * ready; a delivery is `out_for_delivery` then (the shop's own driver takes it from the pass).
 */
function fulfillmentStatus(state: OrderState, collected: boolean, delivery: boolean): string {
  if (state === 'in_kitchen') return 'processing';
  if (state === 'ready') return delivery ? 'out_for_delivery' : 'ready_for_pickup';
  if (state === 'collected' || (state === 'refunded' && collected)) return 'delivered';
  if (state === 'canceled' || state === 'expired' || state === 'refunded') return 'canceled';
  return 'pending';
}

/** Fulfillment event types of the states that are steps of the pickup (rfc.orders §4.4). */
const PICKUP_EVENTS: Partial<Record<OrderState, string>> = {
  in_kitchen: 'processing',
  ready: 'ready_for_pickup',
  collected: 'delivered',
  canceled: 'canceled',
  expired: 'canceled',
};

/** The same steps of a delivery: ready on the pass is out for delivery, collected is delivered. */
const DELIVERY_EVENTS: Partial<Record<OrderState, string>> = { ...PICKUP_EVENTS, ready: 'out_for_delivery' };

/** A discounted line's totals (the checkout's shapes): its items, what offers took off, what is left. */
function discountedLineTotals(line: { lineTotal: number; discount: number; net: number }): Json {
  if (line.discount === 0) return {};
  return {
    totals: [
      { type: 'items_base_amount', display_text: 'Base amount', amount: line.lineTotal },
      { type: 'items_discount', display_text: 'Discount', amount: line.discount },
      { type: 'total', display_text: 'Total', amount: line.net },
    ],
  };
}

function lineItems(order: Order, ended: boolean, collected: boolean): Json[] {
  const lines = order.priced === undefined ? [] : asDiscounted(order.priced).lines;
  return lines.map((line, index) => {
    const current = ended && !collected ? 0 : line.quantity;
    const fulfilled = collected ? current : 0;
    const options = line.options.map((o) => o.name).join(', ');
    return {
      id: `li_${index + 1}`,
      title: line.name,
      // The product feed's id for the item (its options are in the description).
      product_id: line.itemId,
      ...(options === '' ? {} : { description: options }),
      quantity: { ordered: line.quantity, current, fulfilled },
      unit_price: line.unitPrice,
      subtotal: line.lineTotal,
      ...discountedLineTotals(line),
      // Derived as rfc.orders §7.1 says.
      status: current === 0 ? 'removed' : fulfilled === current ? 'fulfilled' : 'processing',
    };
  });
}

function totals(t: DiscountedTotals, refunded: boolean): AcpTotal[] {
  const list = acpTotals(t);
  if (refunded) list.push({ type: 'amount_refunded', display_text: 'Refunded', amount: t.total });
  return list;
}

function pickup(order: Order, ctx: OrderPayloadContext, collected: boolean): Json {
  const { profile, pickup: rules } = ctx.settings;
  const slot = order.pickupSlot;
  return {
    id: `ful_${order.id}`,
    type: 'pickup',
    status: fulfillmentStatus(order.state, collected, false),
    line_items: fulfilledLines(order),
    description: `Pickup at ${profile.name}, ${profile.address}`,
    // The booked slot is when the kitchen has it ready: from its start to its end.
    ...(slot === undefined
      ? {}
      : {
          estimated_delivery: {
            earliest: slot.toISOString(),
            latest: new Date(slot.getTime() + rules.slotMinutes * MINUTE_MS).toISOString(),
          },
        }),
    events: events(ctx, PICKUP_EVENTS),
  };
}

/**
 * A local delivery. The release's `Fulfillment.type` has no `local_delivery` (checkout options do):
 * `shipping` is the type that carries a `destination`, with no carrier since the shop delivers itself.
 */
function delivery(
  order: Order,
  fulfillment: Extract<OrderFulfillment, { type: 'delivery' }>,
  ctx: OrderPayloadContext,
  collected: boolean,
): Json {
  const { address } = fulfillment;
  const window = arrivalWindow(fulfillment, order.pickupSlot, ctx.settings.pickup.slotMinutes);
  return {
    id: `ful_${order.id}`,
    type: 'shipping',
    status: fulfillmentStatus(order.state, collected, true),
    line_items: fulfilledLines(order),
    destination: {
      name: address.name,
      line_one: address.line1,
      ...(address.line2 === undefined ? {} : { line_two: address.line2 }),
      city: address.city,
      state: address.region,
      country: address.country,
      postal_code: address.postalCode,
    },
    description: `Local delivery by ${ctx.settings.profile.name}`,
    ...(window === undefined
      ? {}
      : { estimated_delivery: { earliest: window.start.toISOString(), latest: window.end.toISOString() } }),
    events: events(ctx, DELIVERY_EVENTS),
  };
}

function fulfilledLines(order: Order): Json[] {
  return (order.priced?.lines ?? []).map((line, index) => ({
    id: `li_${index + 1}`,
    quantity: line.quantity,
  }));
}

function events(ctx: OrderPayloadContext, types: Partial<Record<OrderState, string>>): Json[] {
  return ctx.trail.flatMap((step) => {
    const type = types[step.to];
    return type === undefined
      ? []
      : [{ id: `fev_${step.id}`, type, occurred_at: new Date(step.atMs).toISOString() }];
  });
}

function adjustments(order: Order, ended: boolean): Json[] {
  if (!ended) return [];
  const base = {
    id: `adj_${order.id}`,
    occurred_at: order.updatedAt.toISOString(),
    status: 'completed',
  };
  if (order.state === 'refunded') {
    return [
      {
        ...base,
        type: 'refund',
        amount: order.priced?.totals.total ?? 0,
        currency: order.currency.toLowerCase(),
        description: 'Refunded in full by the shop',
      },
    ];
  }
  const expired = order.state === 'expired';
  return [
    {
      ...base,
      type: 'cancellation',
      reason: expired ? 'confirmation_expired' : 'canceled',
      description: expired ? 'The customer did not confirm the order in time' : 'The order was canceled',
    },
  ];
}

/** The webhook's `data`: the whole order as the ACP `Order` with `type: "order"` (rfc.orders §6). */
export function orderEventData(order: Order, ctx: OrderPayloadContext): Json {
  const collected = ctx.trail.some((step) => step.to === 'collected');
  const ended = order.state === 'canceled' || order.state === 'expired' || order.state === 'refunded';
  return {
    type: 'order',
    id: order.id,
    checkout_session_id: ctx.checkoutSessionId,
    permalink_url: ctx.permalinkUrl,
    order_number: order.code,
    status: acpOrderStatus(order.state, collected),
    support: { phone: ctx.settings.profile.phone },
    line_items: lineItems(order, ended, collected),
    fulfillments: [
      order.fulfillment.type === 'delivery'
        ? delivery(order, order.fulfillment, ctx, collected)
        : pickup(order, ctx, collected),
    ],
    adjustments: adjustments(order, ended),
    ...(order.priced === undefined
      ? {}
      : { totals: totals(asDiscounted(order.priced).totals, order.state === 'refunded') }),
  };
}
