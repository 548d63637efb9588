import { z } from 'zod';
import { AppError } from '../domain/app-error.js';
import { PICKUP } from '../domain/delivery.js';
import type { FulfillmentChoice } from '../services/orders/order-types.js';

/** The pickup-or-delivery arguments of create_order and update_order. */
export const deliveryInput = {
  delivery_address: z
    .object({
      street: z.string().trim().max(120).describe('Street and house number, e.g. "12 Oak St"'),
      line2: z
        .string()
        .trim()
        .max(120)
        .optional()
        .describe('Apartment, floor or door code, e.g. "Apt 4B"; leave out if none'),
      city: z.string().trim().max(60).describe('e.g. "Springfield"'),
      postal_code: z
        .string()
        .trim()
        .max(16)
        .describe(
          'As the customer says it, e.g. "10001" or "SW1A 1AA"; get_shop_info lists the codes served',
        ),
    })
    .optional()
    .describe(
      'Deliver the order to this address instead of pickup (only if get_shop_info says the shop delivers there). The shop’s delivery fee is added to the total; the driver asks for customer_name and calls customer_phone.',
    ),
  fulfillment: z
    .enum(['pickup', 'delivery'])
    .optional()
    .describe(
      '"pickup" switches a delivery back to pickup (no fee); "delivery" switches to delivery to the address already on the order. Giving delivery_address already means delivery.',
    ),
};

/** The customer's choice of pickup or delivery from the tool arguments; undefined keeps the order's. */
export function fulfillmentOf(args: {
  delivery_address?: z.infer<typeof deliveryInput.delivery_address>;
  fulfillment?: 'pickup' | 'delivery' | undefined;
}): FulfillmentChoice | undefined {
  const a = args.delivery_address;
  if (args.fulfillment === 'pickup') {
    if (a === undefined) return PICKUP;
    const message = 'Choose one: fulfillment "pickup", or a delivery_address to deliver to — not both.';
    throw new AppError('invalid_input', message, {
      violations: [{ code: 'invalid_input', message, path: 'fulfillment' }],
    });
  }
  if (a === undefined) return args.fulfillment === 'delivery' ? { type: 'delivery' } : undefined;
  const line2 = a.line2 === undefined || a.line2 === '' ? {} : { line2: a.line2 };
  // A blank recipient is the order's customer: their name and phone go with the order when placed.
  return {
    type: 'delivery',
    address: {
      name: '',
      line1: a.street,
      ...line2,
      city: a.city,
      region: '',
      country: '',
      postalCode: a.postal_code,
    },
  };
}
