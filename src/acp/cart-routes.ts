import type { Hono } from 'hono';
import { isAppError } from '../domain/app-error.js';
import type { AppEnv } from '../http/app.js';
import type { Logger } from '../platform/logger.js';
import type { AcpKeys } from '../services/checkout/acp-keys.js';
import type { CartContents, CartService, CartView } from '../services/checkout/cart-service.js';
import type { MenuCache } from '../services/menu/menu-cache.js';
import type { Idempotency } from '../services/orders/idempotency.js';
import { type AcpErrorResponse, acpError, acpErrorFromApp } from './acp-error.js';
import {
  type AcpEnv,
  type AcpPostOptions,
  type AcpResult,
  acpGuard,
  acpJson,
  acpPost,
} from './acp-request.js';
import { cartCancelSchema, cartCreateSchema, cartUpdateSchema } from './cart-schemas.js';
import { parseBody } from './checkout-schemas.js';
import { presentCart } from './present-cart.js';

export interface CartRoutesDeps {
  readonly carts: CartService;
  readonly keys: AcpKeys;
  readonly idempotency: Idempotency;
  readonly savepoint: <T>(fn: () => T) => T;
  readonly menu: MenuCache;
  /** The public origin: each cart's page (`continue_url`) is under it. */
  readonly publicUrl: string;
  readonly log: Logger;
}

/** Nothing asked for can be had: the cart OpenAPI's 422 `out_of_stock` on create and update. */
function soldOutAsOutOfStock(error: AcpErrorResponse): AcpErrorResponse {
  if (error.body.code !== 'item_sold_out') return error;
  return acpError(422, 'out_of_stock', error.body.message, { param: '$.line_items' });
}

function contentsOf(request: { line_items: CartContents['items']; buyer?: CartContents['buyer'] }) {
  return { items: request.line_items, buyer: request.buyer };
}

/**
 * The ACP cart API (openapi.cart.yaml, 2026-04-17): create, read, replace and cancel carts, each
 * answering the whole cart with estimated totals. A cart becomes an order through a checkout session
 * the agent creates from the cart's items; this release defines no `cart_id` on checkout (ACP cart §2.2).
 */
export function mountCarts(app: Hono<AppEnv>, deps: CartRoutesDeps): void {
  const acp = app as unknown as Hono<AcpEnv>;
  const guard = acpGuard(deps.keys);
  acp.use('/carts', guard);
  acp.use('/carts/*', guard);

  const answer = (status: number, view: CartView): AcpResult => ({
    status,
    body: presentCart(view, deps.menu.index(), deps.publicUrl),
  });
  const options: AcpPostOptions = { mapError: soldOutAsOutOfStock };

  acp.post('/carts', (c) =>
    acpPost(
      c,
      deps,
      c.req.path,
      (body, key) => {
        const parsed = parseBody(cartCreateSchema, body);
        if (!parsed.ok) return parsed.error;
        return answer(201, deps.carts.create(key.id, contentsOf(parsed.value)));
      },
      options,
    ),
  );

  acp.get('/carts/:id', (c) => {
    try {
      return acpJson(c, answer(200, deps.carts.get(c.get('acpKey').id, c.req.param('id'))));
    } catch (error) {
      if (isAppError(error, 'not_found')) return acpJson(c, acpErrorFromApp(error));
      throw error;
    }
  });

  // The OpenAPI lists Idempotency-Key as required on PUT too; acpPost applies the same rules as on POST.
  acp.put('/carts/:id', (c) =>
    acpPost(
      c,
      deps,
      c.req.path,
      (body, key) => {
        const parsed = parseBody(cartUpdateSchema, body);
        if (!parsed.ok) return parsed.error;
        return answer(200, deps.carts.replace(key.id, c.req.param('id'), contentsOf(parsed.value)));
      },
      options,
    ),
  );

  acp.post('/carts/:id/cancel', (c) =>
    acpPost(c, deps, c.req.path, (body, key) => {
      const parsed = parseBody(cartCancelSchema, body);
      if (!parsed.ok) return parsed.error;
      return answer(200, deps.carts.cancel(key.id, c.req.param('id')));
    }),
  );
}
