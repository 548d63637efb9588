import type { Hono } from 'hono';
import type { AppEnv } from '../http/app.js';
import type { Logger } from '../platform/logger.js';
import type { AcpKeys } from '../services/checkout/acp-keys.js';
import type { CheckoutService } from '../services/checkout/checkout-types.js';
import type { MenuCache } from '../services/menu/menu-cache.js';
import type { Idempotency } from '../services/orders/idempotency.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { type AcpEnv, acpGuard, acpJson, acpPost } from './acp-request.js';
import { createCheckoutOperations, spendsMoney } from './checkout-operations.js';
import { paymentHandlers } from './present-capabilities.js';
import type { CheckoutConfirmations } from './present-checkout.js';

export interface CheckoutRoutesDeps {
  readonly checkout: CheckoutService;
  readonly keys: AcpKeys;
  readonly idempotency: Idempotency;
  readonly savepoint: <T>(fn: () => T) => T;
  /** Runs a step in a transaction committed with synchronous=FULL (money). */
  readonly durableTransaction: <T>(fn: () => T) => T;
  readonly shop: ShopService;
  readonly menu: MenuCache;
  readonly log: Logger;
  readonly publicUrl: string;
  /** The customer's confirmations of placed orders. */
  readonly confirmations: CheckoutConfirmations;
  /** The shop's merchant id for delegated card payments (the embedded vault); undefined: none taken. */
  readonly merchantId?: string | undefined;
}

/**
 * The ACP checkout API (openapi.agentic_checkout.yaml, 2026-04-17): create, read, update, complete and
 * cancel sessions, each answering the whole authoritative session. Business problems (sold out,
 * closed, missing buyer details) are `messages[]` on the session; malformed requests are 4xx errors.
 */
export function mountCheckout(app: Hono<AppEnv>, deps: CheckoutRoutesDeps): void {
  const acp = app as unknown as Hono<AcpEnv>;
  const guard = acpGuard(deps.keys);
  acp.use('/checkout_sessions', guard);
  acp.use('/checkout_sessions/*', guard);

  const operations = createCheckoutOperations(deps);

  acp.post('/checkout_sessions', (c) =>
    acpPost(c, deps, c.req.path, (body, key) => operations.create(key.id, body)),
  );

  acp.get('/checkout_sessions/:id', (c) => acpJson(c, operations.get(c.get('acpKey').id, c.req.param('id'))));

  acp.post('/checkout_sessions/:id', (c) =>
    acpPost(c, deps, c.req.path, (body, key) => operations.update(key.id, c.req.param('id'), body)),
  );

  acp.post('/checkout_sessions/:id/complete', (c) =>
    acpPost(c, deps, c.req.path, (body, key) => operations.complete(key.id, c.req.param('id'), body), {
      durable: spendsMoney,
    }),
  );

  acp.post('/checkout_sessions/:id/cancel', (c) =>
    acpPost(c, deps, c.req.path, (body, key) => operations.cancel(key.id, c.req.param('id'), body)),
  );

  // What the payment handler URLs in every session point at: a description an agent can read.
  const handler = paymentHandlers(deps.publicUrl)[0];
  app.get('/acp/handlers/pay_at_pickup', (c) =>
    c.json({
      ...handler,
      description:
        'No card data: the shop sends the buyer a link; they confirm the order on their own phone and pay when they pick it up. Complete with payment_data {"handler_id": "pay_at_pickup"}; the session answers pending_approval with continue_url until the buyer confirms.',
    }),
  );
  app.get('/acp/handlers/pay_at_pickup/config.json', (c) =>
    c.json({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { confirmation: { const: 'customer_phone' }, instrument_optional: { type: 'boolean' } },
    }),
  );
  app.get('/acp/handlers/pay_at_pickup/instrument.json', (c) =>
    c.json({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      description: 'Optional: no credential is needed to pay at pickup.',
      type: 'object',
      properties: { type: { const: 'pay_at_pickup' } },
    }),
  );
}
