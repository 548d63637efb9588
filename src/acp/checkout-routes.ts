import type { Hono } from 'hono';
import type { Violation } from '../domain/app-error.js';
import type { AppEnv } from '../http/app.js';
import type { Logger } from '../platform/logger.js';
import type { AcpKeys } from '../services/acp-keys.js';
import { type CheckoutService, type CheckoutView, isCheckoutProblem } from '../services/checkout-service.js';
import type { Idempotency } from '../services/idempotency.js';
import type { MenuCache } from '../services/menu-cache.js';
import type { ShopService } from '../services/shop-service.js';
import { acpError, acpErrorFromApp } from './acp-error.js';
import { type AcpEnv, type AcpResult, acpGuard, acpJson, acpPost } from './acp-request.js';
import {
  cancelRequestSchema,
  completeRequestSchema,
  createRequestSchema,
  parseBody,
  updateRequestSchema,
} from './checkout-schemas.js';
import { type CheckoutPresentation, paymentHandlers, presentCheckout } from './present-checkout.js';

export interface CheckoutRoutesDeps {
  readonly checkout: CheckoutService;
  readonly keys: AcpKeys;
  readonly idempotency: Idempotency;
  readonly savepoint: <T>(fn: () => T) => T;
  readonly shop: ShopService;
  readonly menu: MenuCache;
  readonly log: Logger;
  readonly publicUrl: string;
}

const HANDLERS = new Set(['pay_at_pickup']);

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

  const presentation = (): CheckoutPresentation => ({
    menu: deps.menu.index(),
    settings: deps.shop.settings(),
    timezone: deps.shop.calendar().timezone,
    publicUrl: deps.publicUrl,
    formatTime: deps.shop.formatTime,
  });
  const answer = (status: number, view: CheckoutView, extra: readonly Violation[] = []): AcpResult => ({
    status,
    body: presentCheckout(view, presentation(), extra),
  });

  acp.post('/checkout_sessions', (c) =>
    acpPost(c, deps, c.req.path, (body, key) => {
      const parsed = parseBody(createRequestSchema, body);
      if (!parsed.ok) return parsed.error;
      const r = parsed.value;
      const view = deps.checkout.create(key.id, {
        items: r.line_items,
        currency: r.currency,
        agentCapabilities: r.capabilities ?? {},
        buyer: r.buyer,
        fulfillmentDetails: r.fulfillment_details,
        orderNotes: r.order_notes,
        locale: r.locale,
        timezone: r.timezone,
        metadata: r.metadata,
      });
      return answer(201, view);
    }),
  );

  acp.get('/checkout_sessions/:id', (c) => {
    try {
      return acpJson(c, answer(200, deps.checkout.get(c.get('acpKey').id, c.req.param('id'))));
    } catch (error) {
      if (isCheckoutProblem(error) || (error as { code?: string }).code === 'not_found') {
        return acpJson(c, acpErrorFromApp(error as never));
      }
      throw error;
    }
  });

  acp.post('/checkout_sessions/:id', (c) =>
    acpPost(c, deps, c.req.path, (body, key) => {
      const parsed = parseBody(updateRequestSchema, body);
      if (!parsed.ok) return parsed.error;
      const r = parsed.value;
      const view = deps.checkout.update(key.id, c.req.param('id'), {
        items: r.line_items,
        buyer: r.buyer,
        fulfillmentDetails: r.fulfillment_details,
        pickupOptionId: r.selected_fulfillment_options?.[0]?.option_id,
        orderNotes: r.order_notes,
      });
      return answer(200, view);
    }),
  );

  acp.post('/checkout_sessions/:id/complete', (c) =>
    acpPost(c, deps, c.req.path, (body, key) => {
      const parsed = parseBody(completeRequestSchema, body);
      if (!parsed.ok) return parsed.error;
      const r = parsed.value;
      const handler = r.payment_data.handler_id;
      if (handler === undefined || !HANDLERS.has(handler)) {
        return acpError(
          400,
          'invalid',
          `Unknown payment handler; this shop accepts: ${[...HANDLERS].join(', ')}.`,
          {
            param: '$.payment_data.handler_id',
          },
        );
      }
      const id = c.req.param('id');
      try {
        return answer(200, deps.checkout.complete(key.id, id, { kind: 'pay_at_pickup' }, r.buyer));
      } catch (error) {
        // A rule the session breaks right now is an answer about the session: it stays payable later.
        if (!isCheckoutProblem(error) || error.violations.length === 0 || error.code === 'invalid_input')
          throw error;
        const view = deps.checkout.get(key.id, id);
        const known = new Set(view.problems.map((p) => `${p.path}|${p.message}`));
        return answer(
          200,
          view,
          error.violations.filter((v) => !known.has(`${v.path}|${v.message}`)),
        );
      }
    }),
  );

  acp.post('/checkout_sessions/:id/cancel', (c) =>
    acpPost(c, deps, c.req.path, (body, key) => {
      const parsed = parseBody(cancelRequestSchema, body);
      if (!parsed.ok) return parsed.error;
      try {
        return answer(200, deps.checkout.cancel(key.id, c.req.param('id'), parsed.value.intent_trace));
      } catch (error) {
        if (isCheckoutProblem(error) && error.code === 'invalid_transition') {
          return acpError(405, 'invalid_state', error.message);
        }
        throw error;
      }
    }),
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
