import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { TipChoice } from '../domain/pricing.js';
import { ADDS, CHANGES, READ_ONLY, titled } from '../http/tool-annotations.js';
import type { CustomerIdentity, LineInput, OrderView } from '../services/orders/order-types.js';
import { deliveryInput, fulfillmentOf } from './delivery-input.js';
import { orderListSchema, orderSchema } from './output-schemas.js';
import { type OrderContext, orderResult, orderText } from './present-order.js';
import { customerOf, stampCardOf, type ToolContext } from './tool-context.js';
import { inToolWords } from './tool-hints.js';
import { ok, toolError } from './tool-result.js';

const idempotencyKey = z
  .string()
  .min(8, 'idempotency_key must be at least 8 characters: use a fresh UUID for each new action')
  .max(200)
  .describe('A new unique value (e.g. a UUID) for each new action; repeat it only to retry the same call');
const orderId = z.string().min(1).max(64).describe('The order_id (or the short code) from create_order');
const lineInput = z.object({
  item_id: z.string().min(1).max(64).describe('From search_menu, e.g. "cheeseburger"'),
  quantity: z.number().int().min(1, 'quantity must be at least 1').max(99).describe('How many, 1 or more'),
  option_ids: z
    .array(z.string().min(1).max(64))
    .max(20)
    .optional()
    .describe('Chosen option ids from get_menu_item; omitted groups keep their defaults'),
  note: z.string().max(200).optional().describe('Free text for the kitchen, e.g. "well done"'),
  choices: z
    .array(
      z.object({
        item_id: z.string().min(1).max(64),
        option_ids: z.array(z.string().min(1).max(64)).max(20).optional(),
        note: z.string().max(200).optional(),
      }),
    )
    .max(10)
    .optional()
    .describe(
      'Only for a meal deal (item_id is its deal_id): one item per slot, in the deal’s order, each with its option_ids like a line',
    ),
});
const details = {
  pickup_time: z
    .string()
    .max(40)
    .optional()
    .describe(
      '"asap" (default), "12:30" today, or an ISO time like 2026-03-10T12:30. For a delivery: when it leaves the kitchen; it arrives about the shop’s delivery minutes later',
    ),
  customer_name: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .optional()
    .describe('Name the kitchen calls out; required before place_order'),
  customer_phone: z
    .string()
    .regex(/^\+?[0-9][0-9 ()-]{5,19}$/, 'customer_phone must be a phone number such as +1 555 0100')
    .optional()
    .describe('e.g. "+1 555 0100"; the shop calls it about the order, and the driver for a delivery'),
  tip_percent: z.number().min(0).max(100).optional().describe('Tip as a percent of the subtotal'),
  tip_amount: z.number().int().min(0).optional().describe('Tip in minor units (200 = $2.00)'),
  promo_code: z
    .string()
    .max(40)
    .optional()
    .describe('A code the customer gave; "" removes it. A refused code changes nothing and says why'),
  ...deliveryInput,
};

function tipOf(args: {
  tip_percent?: number | undefined;
  tip_amount?: number | undefined;
}): TipChoice | undefined {
  if (args.tip_amount !== undefined) return { kind: 'amount', amount: args.tip_amount };
  if (args.tip_percent !== undefined) return { kind: 'percent', percent: args.tip_percent };
  return undefined;
}

function linesOf(lines: readonly z.infer<typeof lineInput>[]): LineInput[] {
  return lines.map((l) => ({
    itemId: l.item_id,
    quantity: l.quantity,
    optionIds: l.option_ids,
    note: l.note,
    choices: l.choices?.map((c) => ({ itemId: c.item_id, optionIds: c.option_ids, note: c.note })),
  }));
}

const OFFER_WORDS =
  ' Discounts come only from the shop: automatic offers and meal deals apply by themselves, a promo_code only if the customer gave one; never invent a discount or a price. A meal deal is ordered as a line {"item_id": deal_id, "quantity": 1, "choices": [{"item_id": …, "option_ids": […]}, …]} with one choice per slot (see get_shop_info). Every discount shows per line and in totals.discount and offers_applied.';

// Built once: zod schemas and their JSON Schema forms are reused by every request.
const CREATE_ORDER_TOOL = titled({
  title: 'Start an order',
  description: `Start the customer’s order (a server-side cart) with one or more lines, and optionally pickup time, name, phone and tip. Picked up by default; give delivery_address to have it delivered when the shop delivers (get_shop_info: area, fee, minimum). Returns the full priced order: every line, tax, delivery fee and total in minor units with display strings, and any problem to fix. A customer has one open order: if one exists, use update_order instead.${OFFER_WORDS} Example: create_order {"idempotency_key": "5b7c…", "lines": [{"item_id": "cheeseburger", "quantity": 2, "option_ids": ["no-onions"]}], "pickup_time": "12:30", "customer_name": "Sam"}; delivered: create_order {"idempotency_key": "e3f9…", "lines": [{"item_id": "cheeseburger", "quantity": 2}], "customer_name": "Sam", "customer_phone": "+1 555 0100", "delivery_address": {"street": "12 Oak St", "line2": "Apt 4", "city": "Springfield", "postal_code": "10001"}}.`,
  inputSchema: z.object({
    idempotency_key: idempotencyKey,
    lines: z.array(lineInput).min(1).max(30),
    ...details,
  }),
  outputSchema: orderSchema,
  annotations: ADDS,
});

const UPDATE_ORDER_TOOL = titled({
  title: 'Change an order',
  description: `Change an order that is not placed yet: add lines, change a line (quantity, option_ids, note; quantity 0 removes it), remove lines by line_id, or set pickup time, name, phone or tip. option_ids given for a line replace its options. delivery_address switches the order to delivery (the fee is added); fulfillment "pickup" switches it back. Returns the full priced order; promo_code applies or removes a code.${OFFER_WORDS} Example: update_order {"idempotency_key": "9d2e…", "order_id": "ord_…", "update_lines": [{"line_id": "l1", "option_ids": ["patty-double", "no-onions"], "note": "extra crispy"}]}.`,
  inputSchema: z.object({
    idempotency_key: idempotencyKey,
    order_id: orderId,
    add_lines: z.array(lineInput).max(30).optional(),
    update_lines: z
      .array(
        z.object({
          line_id: z.string().min(1).max(16).describe('e.g. "l1", from the order'),
          quantity: z.number().int().min(0).max(99).optional().describe('0 removes the line'),
          option_ids: z.array(z.string().min(1).max(64)).max(20).optional(),
          note: z.string().max(200).optional().describe('"" clears the note'),
        }),
      )
      .max(30)
      .optional(),
    remove_line_ids: z.array(z.string().min(1).max(16)).max(30).optional(),
    ...details,
  }),
  outputSchema: orderSchema,
  annotations: CHANGES,
});

const PLACE_ORDER_TOOL = titled({
  title: 'Place the order',
  description:
    'Place the order once the customer agreed to the total. Nothing is charged here: it returns a confirmation_url the customer opens on their own phone to confirm and pay. Retrying with the same idempotency_key returns the same result. Example: place_order {"idempotency_key": "c41a…", "order_id": "ord_…"}.',
  inputSchema: z.object({ idempotency_key: idempotencyKey, order_id: orderId }),
  outputSchema: orderSchema,
  annotations: ADDS,
});

const GET_ORDER_STATUS_TOOL = titled({
  title: 'Order status',
  description:
    'Where an order is: not placed, waiting for the customer to confirm payment, paid, being prepared, ready for pickup, collected, canceled or expired. Without order_id it lists the customer’s open order and recent orders. Example: get_order_status {"order_id": "ord_…"} or get_order_status {}.',
  inputSchema: z.object({ order_id: orderId.optional() }),
  outputSchema: orderListSchema,
  annotations: READ_ONLY,
});

const CANCEL_ORDER_TOOL = titled({
  title: 'Cancel an order',
  description:
    'Cancel an order that is not paid yet (a cart, or one waiting for payment confirmation). Paid orders are canceled by the shop. Example: cancel_order {"idempotency_key": "7f00…", "order_id": "ord_…"}.',
  inputSchema: z.object({ idempotency_key: idempotencyKey, order_id: orderId }),
  outputSchema: orderSchema,
  annotations: CHANGES,
});

const REORDER_TOOL = titled({
  title: 'Order the same again',
  description:
    '"Same as last time": starts a new order with the lines of the customer’s last order (or of order_id), leaving out anything no longer available (listed in `dropped`). A delivery is delivered to the same address again when the shop still delivers there, else the order is for pickup; `fulfillment.note` says which. Then place_order as usual. Example: reorder {"idempotency_key": "a8b1…"}.',
  inputSchema: z.object({ idempotency_key: idempotencyKey, order_id: orderId.optional() }),
  outputSchema: orderSchema,
  annotations: ADDS,
});

/** create_order … reorder: building, placing and following an order. */
export function registerOrderTools(
  server: McpServer,
  t: ToolContext,
  ui: { orderMeta: Record<string, unknown> },
): void {
  const octx = (): OrderContext => ({
    locale: t.shop.settings().profile.locale,
    slotMinutes: t.shop.settings().pickup.slotMinutes,
    publicUrl: t.publicUrl,
    formatTime: t.shop.formatTime,
    index: t.menu.index(),
    confirmationOf: (orderId) => {
      const request = t.confirmations.current(orderId);
      return request === undefined ? undefined : { request, url: t.confirmations.linkOf(request) };
    },
  });
  const once = (
    tool: string,
    args: { idempotency_key: string },
    ctx: ServerContext,
    effect: (who: CustomerIdentity) => OrderView,
  ) => {
    try {
      const who = customerOf(ctx);
      const { idempotency_key: key, ...body } = args;
      const scope = `mcp:${who.subject}:${tool}`;
      const result = t.idempotency.executeSync({ scope, key, body }, () => ({
        status: 200,
        body: orderResult(effect(who), { ...octx(), stampCard: stampCardOf(t, who.subject) }),
      }));
      return ok(orderText(result.body), result.body, ui.orderMeta);
    } catch (error) {
      return toolError(inToolWords(error), t.log);
    }
  };
  server.registerTool('create_order', { ...CREATE_ORDER_TOOL, _meta: ui.orderMeta }, async (args, ctx) =>
    once('create_order', args, ctx, (who) =>
      t.orders.create(who, linesOf(args.lines), {
        pickupTime: args.pickup_time,
        customerName: args.customer_name,
        customerPhone: args.customer_phone,
        tip: tipOf(args),
        fulfillment: fulfillmentOf(args),
        promoCode: args.promo_code,
      }),
    ),
  );

  server.registerTool('update_order', { ...UPDATE_ORDER_TOOL, _meta: ui.orderMeta }, async (args, ctx) =>
    once('update_order', args, ctx, (who) =>
      t.orders.update(who, args.order_id, {
        addLines: args.add_lines === undefined ? undefined : linesOf(args.add_lines),
        updateLines: args.update_lines?.map((u) => ({
          lineId: u.line_id,
          quantity: u.quantity,
          optionIds: u.option_ids,
          note: u.note,
        })),
        removeLineIds: args.remove_line_ids,
        pickupTime: args.pickup_time,
        customerName: args.customer_name,
        customerPhone: args.customer_phone,
        tip: tipOf(args),
        fulfillment: fulfillmentOf(args),
        promoCode: args.promo_code,
      }),
    ),
  );

  server.registerTool('place_order', { ...PLACE_ORDER_TOOL, _meta: ui.orderMeta }, async (args, ctx) =>
    withQrCode(once('place_order', args, ctx, (who) => t.orders.place(who, args.order_id))),
  );

  server.registerTool(
    'get_order_status',
    { ...GET_ORDER_STATUS_TOOL, _meta: ui.orderMeta },
    async (args, ctx) => {
      try {
        const who = customerOf(ctx);
        // A confirmation past its expiry is settled first, so the answer says "expired" at once.
        t.confirmations.expireDue();
        const views =
          args.order_id === undefined ? t.orders.recent(who, 5) : [t.orders.get(who, args.order_id)];
        const card = stampCardOf(t, who.subject);
        const orders = views.map((v) => orderResult(v, { ...octx(), stampCard: card }));
        const text =
          orders.length === 0
            ? 'You have no orders yet. Search the menu to start one.'
            : orders.map(orderText).join('\n\n');
        return ok(text, { orders }, ui.orderMeta);
      } catch (error) {
        return toolError(inToolWords(error), t.log);
      }
    },
  );

  server.registerTool('cancel_order', CANCEL_ORDER_TOOL, async (args, ctx) =>
    once('cancel_order', args, ctx, (who) => t.orders.cancel(who, args.order_id)),
  );

  server.registerTool('reorder', { ...REORDER_TOOL, _meta: ui.orderMeta }, async (args, ctx) =>
    once('reorder', args, ctx, (who) => t.orders.reorder(who, args.order_id)),
  );
}

/**
 * The confirmation link as a QR code too (PNG), for a customer reading the chat on a computer: they
 * scan it with their phone. Hosts that show no images still have the link in the text.
 */
async function withQrCode(result: CallToolResult): Promise<CallToolResult> {
  const url = (result.structuredContent as { confirmation_url?: unknown } | undefined)?.confirmation_url;
  if (result.isError === true || typeof url !== 'string') return result;
  const png = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
  return {
    ...result,
    content: [...result.content, { type: 'image', data: png.toString('base64'), mimeType: 'image/png' }],
  };
}
