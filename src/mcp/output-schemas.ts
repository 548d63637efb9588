import { z } from 'zod';
import { ORDER_STATES } from '../domain/order-lifecycle.js';

/** An amount in minor units with its currency and a display string ("$10.95"). */
export const moneySchema = z.object({
  amount: z.number().int().describe('Minor units (cents; yen for JPY)'),
  currency: z.string(),
  display: z.string(),
});

/** The shop's offers as the owner set them: the model shows these and never makes up a discount. */
export const offersSchema = {
  offers: z
    .array(
      z.object({
        offer_id: z.string(),
        kind: z.enum(['happy_hour', 'nth_unit']),
        name: z.string(),
        description: z.string(),
        active_now: z.boolean().describe('Whether it applies to an order priced now'),
      }),
    )
    .describe('Automatic offers: applied by the shop by themselves when they hold'),
  meal_deals: z
    .array(
      z.object({
        deal_id: z.string().describe('Order it as a line: {"item_id": deal_id, "choices": [...]}'),
        name: z.string(),
        price: z.string(),
        slots: z.array(z.object({ name: z.string(), item_ids: z.array(z.string()) })),
      }),
    )
    .describe('Bundles: one choice per slot, in order'),
};

/** The signed-in customer's stamp card, while the shop has one. */
export const stampCardSchema = z
  .object({
    stamps: z.number().int().describe('Stamps collected and not yet spent'),
    stamps_needed: z.number().int().describe('Stamps that make the card full'),
    minimum: moneySchema.describe('Smallest paid order (items after discounts) that earns a stamp'),
    reward: z.string(),
    reward_waiting: z.boolean().describe('Whether the reward comes off the next order by itself'),
  })
  .optional()
  .describe('This customer’s stamp card; absent when the shop has none');

export const shopInfoSchema = z.object({
  name: z.string(),
  address: z.string(),
  phone: z.string(),
  currency: z.string(),
  timezone: z.string(),
  open_now: z.boolean(),
  paused_by_owner: z.boolean(),
  todays_hours: z.array(z.object({ open: z.string(), close: z.string() })),
  closes_at: z.string().optional(),
  next_opening: z.string().optional(),
  ordering_resumes_at: z
    .string()
    .optional()
    .describe('When orders are taken again; absent while open, or paused with no end the shop has said'),
  pickup_lead_minutes: z.number().int(),
  next_pickup_slots: z.array(z.string()).describe('Empty while the shop is closed or has paused ordering'),
  stamp_card: stampCardSchema,
  delivery: z
    .object({
      available: z.boolean().describe('Whether create_order/update_order accept a delivery_address'),
      fee: moneySchema.optional().describe('Added to every delivered order'),
      minimum: moneySchema.optional().describe('Smallest items subtotal (before tax and fees) delivered'),
      postal_codes: z.array(z.string()).describe('The postal codes served; empty when not delivering'),
      lead_minutes: z
        .number()
        .int()
        .optional()
        .describe('Minutes the trip takes after the kitchen has the order ready'),
    })
    .describe('Local delivery by the shop'),
  ...offersSchema,
});

export const menuItemSummarySchema = z.object({
  item_id: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  price: moneySchema,
  image_url: z.string().optional(),
  dietary: z.array(z.string()),
  allergens: z.array(z.string()),
  sold_out: z.boolean(),
  available_now: z.boolean(),
  has_options: z.boolean(),
});

export const searchResultSchema = z.object({
  items: z.array(menuItemSummarySchema),
  total: z.number().int(),
  next_cursor: z.string().optional(),
  corrections: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
  offers: offersSchema.offers.optional().describe('Automatic offers on now that reach these items'),
  meal_deals: offersSchema.meal_deals.optional().describe('Meal deals these items can be part of'),
});

export const optionSchema = z.object({
  option_id: z.string(),
  name: z.string(),
  price: moneySchema,
  is_default: z.boolean(),
  sold_out: z.boolean(),
});

export const menuItemDetailSchema = menuItemSummarySchema.extend({
  max_quantity: z.number().int(),
  available_from: z.string().optional(),
  modifier_groups: z.array(
    z.object({
      group_id: z.string(),
      name: z.string(),
      selection: z.enum(['single', 'multiple']),
      min: z.number().int(),
      max: z.number().int(),
      required: z.boolean(),
      options: z.array(optionSchema),
    }),
  ),
});

export const violationSchema = z.object({
  code: z.string(),
  message: z.string(),
  path: z.string().optional(),
  suggestion: z.string().optional(),
});

/** How an order reaches the customer: picked up, or delivered by the shop. */
export const fulfillmentSchema = z.object({
  type: z.enum(['pickup', 'delivery']),
  display: z.string().describe('"Pickup 12:30 PM" or "Delivery to 12 Oak St, Apt 4, 10001 Springfield"'),
  address: z
    .object({
      recipient: z.string().optional().describe('Who receives it: the customer_name'),
      street: z.string(),
      line2: z.string().optional(),
      city: z.string(),
      postal_code: z.string(),
    })
    .optional()
    .describe('Where a delivery goes'),
  fee: moneySchema.optional().describe('The delivery fee, included in totals.total'),
  lead_minutes: z
    .number()
    .int()
    .optional()
    .describe('Minutes the trip takes after the kitchen has the order ready'),
  arrival_window: z
    .object({ start: z.string(), end: z.string(), display: z.string() })
    .optional()
    .describe('When a placed delivery arrives (ISO times)'),
  note: z.string().optional().describe('What reorder chose (delivery again, or pickup) and why'),
});

export const orderSchema = z.object({
  order_id: z.string(),
  code: z.string().describe('Short code the customer says at the counter'),
  status: z.enum(ORDER_STATES),
  lines: z.array(
    z.object({
      line_id: z.string(),
      item_id: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      options: z.array(z.object({ option_id: z.string(), name: z.string(), price: moneySchema })),
      note: z.string().optional(),
      unit_price: moneySchema,
      line_total: moneySchema,
      discount: moneySchema.optional().describe('Taken off this line by the offers in offers_applied'),
      meal_deal: z.string().optional().describe('The meal deal this line is a part of'),
    }),
  ),
  pickup: z.object({
    requested: z.string().describe('"asap" or an ISO time'),
    slot_start: z.string().optional(),
    display: z.string(),
  }),
  customer: z.object({ name: z.string().optional(), phone: z.string().optional() }),
  totals: z.object({
    subtotal: moneySchema,
    tax: moneySchema,
    tax_included: z.boolean(),
    fee: moneySchema,
    tip: moneySchema,
    delivery: moneySchema.optional().describe('The delivery fee; absent for pickup'),
    discount: moneySchema.describe('All offers and codes together, already taken off subtotal'),
    total: moneySchema,
  }),
  offers_applied: z
    .array(
      z.object({
        offer_id: z.string(),
        kind: z.enum(['promo_code', 'happy_hour', 'nth_unit', 'meal_deal', 'stamp_card']),
        name: z.string(),
        code: z.string().optional(),
        amount: moneySchema,
      }),
    )
    .describe('Each discount the shop applied and what it took; there are no others'),
  promo_code: z.string().optional().describe('The code on the order, as typed'),
  stamp_card: stampCardSchema,
  fulfillment: fulfillmentSchema
    .optional()
    .describe('Pickup, or delivery with the address, the fee and (once placed) the arrival window'),
  problems: z.array(violationSchema).describe('What must be fixed before the order can be placed'),
  dropped: z.array(z.string()).optional(),
  confirmation_url: z
    .string()
    .optional()
    .describe('Where the customer confirms and pays, on their own phone'),
  confirmation: z
    .object({
      auth_req_id: z.string().describe('Identifies this confirmation request'),
      state: z.enum(['pending', 'approved', 'denied', 'expired']),
      binding_message: z.string().describe('The words the customer sees on their phone; show them too'),
      url: z.string(),
      expires_at: z.string(),
      interval: z.number().int().describe('Seconds to wait between get_order_status calls while pending'),
    })
    .optional()
    .describe('The customer’s confirmation on their own phone, once the order is placed'),
  next_step: z.string(),
});

export const orderListSchema = z.object({ orders: z.array(orderSchema) });
