import { z } from 'zod';
import { buyer, item } from './checkout-schemas.js';

// Request bodies of the cart endpoints after schema.cart.json (additionalProperties: false), with the
// same items and buyer as checkout sessions.

/** `POST /carts` (CartCreateRequest). */
export const cartCreateSchema = z
  .object({
    line_items: z.array(item).min(1).max(100),
    buyer: buyer.optional(),
    locale: z.string().max(35).optional(),
  })
  .strict();

/** `PUT /carts/{id}` (CartUpdateRequest): the whole cart, replacing what it held. */
export const cartUpdateSchema = z
  .object({
    line_items: z.array(item).min(1).max(100),
    buyer: buyer.optional(),
  })
  .strict();

/** `POST /carts/{id}/cancel`: empty, or any JSON object (the OpenAPI gives it no fields). */
export const cartCancelSchema = z.record(z.string(), z.unknown());
