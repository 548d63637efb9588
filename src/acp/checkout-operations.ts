import type { Violation } from '../domain/app-error.js';
import { isCheckoutProblem } from '../services/checkout/checkout-service.js';
import type { CheckoutService, CheckoutView } from '../services/checkout/checkout-types.js';
import type { MenuCache } from '../services/menu/menu-cache.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { acpError, acpErrorFromApp } from './acp-error.js';
import type { AcpResult } from './acp-request.js';
import {
  cancelRequestSchema,
  completeRequestSchema,
  createRequestSchema,
  parseBody,
  updateRequestSchema,
} from './checkout-schemas.js';
import {
  type CheckoutConfirmations,
  type CheckoutPresentation,
  presentCheckout,
} from './present-checkout.js';

export interface CheckoutOperationsDeps {
  readonly checkout: CheckoutService;
  readonly shop: ShopService;
  readonly menu: MenuCache;
  readonly publicUrl: string;
  /** The customer's confirmations of placed orders. */
  readonly confirmations: CheckoutConfirmations;
  /** The shop's merchant id for delegated card payments (the embedded vault); undefined: none taken. */
  readonly merchantId?: string | undefined;
}

/**
 * The five ACP checkout operations, whatever carries them (REST, the MCP binding): a request body in,
 * an answer out (the whole session, or an ACP `Error` with its HTTP status). The state-changing ones
 * throw an AppError for a broken business rule; their caller runs them in a savepoint and maps it.
 */
export interface CheckoutOperations {
  create(apiKeyId: string, body: unknown): AcpResult;
  get(apiKeyId: string, id: string): AcpResult;
  update(apiKeyId: string, id: string, body: unknown): AcpResult;
  complete(apiKeyId: string, id: string, body: unknown): AcpResult;
  cancel(apiKeyId: string, id: string, body: unknown): AcpResult;
}

/** Handler ids: confirm on the phone and pay at pickup; a delegated card token (the embedded vault). */
const PAY_AT_PICKUP = 'pay_at_pickup';
const CARD = 'card_tokenized';

/**
 * Whether a complete spends money (a delegated card token): its commit must be durable (FULL sync)
 * before the answer, so the caller opens a durable transaction for it.
 */
export function spendsMoney(body: unknown): boolean {
  const handler = (body as { payment_data?: { handler_id?: unknown } } | null)?.payment_data?.handler_id;
  return handler === CARD;
}

/**
 * The codes a create or update submits: `discounts.codes`, else the deprecated alias `coupons`
 * (discount extension RFC §10.1: "If both are present, `discounts.codes` takes precedence").
 */
function discountCodes(r: { discounts?: { codes: string[] } | undefined; coupons?: string[] | undefined }) {
  return r.discounts?.codes ?? r.coupons;
}

/** The checkout operations over one checkout service, presented in the ACP 2026-04-17 shapes. */
export function createCheckoutOperations(deps: CheckoutOperationsDeps): CheckoutOperations {
  const presentation = (): CheckoutPresentation => ({
    menu: deps.menu.index(),
    settings: deps.shop.settings(),
    timezone: deps.shop.calendar().timezone,
    publicUrl: deps.publicUrl,
    formatTime: deps.shop.formatTime,
    confirmations: deps.confirmations,
    merchantId: deps.merchantId,
  });
  const answer = (status: number, view: CheckoutView, extra: readonly Violation[] = []): AcpResult => ({
    status,
    body: presentCheckout(view, presentation(), extra),
  });

  return {
    create(apiKeyId, body) {
      const parsed = parseBody(createRequestSchema, body);
      if (!parsed.ok) return parsed.error;
      const r = parsed.value;
      const view = deps.checkout.create(apiKeyId, {
        items: r.line_items,
        currency: r.currency,
        agentCapabilities: r.capabilities ?? {},
        buyer: r.buyer,
        fulfillmentDetails: r.fulfillment_details,
        orderNotes: r.order_notes,
        locale: r.locale,
        timezone: r.timezone,
        metadata: r.metadata,
        discountCodes: discountCodes(r),
        attribution: r.affiliate_attribution,
      });
      return answer(201, view);
    },

    get(apiKeyId, id) {
      try {
        deps.confirmations.expireDue();
        return answer(200, deps.checkout.get(apiKeyId, id));
      } catch (error) {
        if (isCheckoutProblem(error) || (error as { code?: string }).code === 'not_found') {
          return acpErrorFromApp(error as never);
        }
        throw error;
      }
    },

    update(apiKeyId, id, body) {
      const parsed = parseBody(updateRequestSchema, body);
      if (!parsed.ok) return parsed.error;
      const r = parsed.value;
      const view = deps.checkout.update(apiKeyId, id, {
        items: r.line_items,
        buyer: r.buyer,
        fulfillmentDetails: r.fulfillment_details,
        fulfillmentOptionId: r.selected_fulfillment_options?.[0]?.option_id,
        orderNotes: r.order_notes,
        discountCodes: discountCodes(r),
      });
      return answer(200, view);
    },

    complete(apiKeyId, id, body) {
      const parsed = parseBody(completeRequestSchema, body);
      if (!parsed.ok) return parsed.error;
      const r = parsed.value;
      const handler = r.payment_data.handler_id;
      const handlers = deps.merchantId === undefined ? [PAY_AT_PICKUP] : [PAY_AT_PICKUP, CARD];
      if (handler === undefined || !handlers.includes(handler)) {
        return acpError(
          400,
          'invalid',
          `Unknown payment handler; this shop accepts: ${handlers.join(', ')}.`,
          {
            param: '$.payment_data.handler_id',
          },
        );
      }
      const token = r.payment_data.instrument?.credential.token;
      if (handler === CARD && token === undefined) {
        return acpError(400, 'missing', 'A card payment needs the delegated payment token.', {
          param: '$.payment_data.instrument.credential.token',
        });
      }
      const payment =
        handler === CARD && token !== undefined
          ? ({ kind: 'delegated', token } as const)
          : ({ kind: 'pay_at_pickup' } as const);
      try {
        const completion = { payment, buyer: r.buyer, attribution: r.affiliate_attribution };
        return answer(200, deps.checkout.complete(apiKeyId, id, completion));
      } catch (error) {
        // A declined payment is not a session answer: the OpenAPI's 200 for complete is
        // CheckoutSessionWithOrder (order required). It is thrown on, undone by the caller's savepoint and
        // answered as the flat Error (status and type in error-response.ts / acp-error.ts), on REST and
        // the MCP binding alike; the session stays ready_for_payment for another card.
        // A rule the session breaks right now is an answer about the session: it stays payable later.
        if (
          !isCheckoutProblem(error) ||
          error.violations.length === 0 ||
          error.code === 'invalid_input' ||
          error.code === 'payment_declined'
        )
          throw error;
        const view = deps.checkout.get(apiKeyId, id);
        const known = new Set(view.problems.map((p) => `${p.path}|${p.message}`));
        return answer(
          200,
          view,
          error.violations.filter((v) => !known.has(`${v.path}|${v.message}`)),
        );
      }
    },

    cancel(apiKeyId, id, body) {
      const parsed = parseBody(cancelRequestSchema, body);
      if (!parsed.ok) return parsed.error;
      try {
        return answer(200, deps.checkout.cancel(apiKeyId, id, parsed.value.intent_trace));
      } catch (error) {
        // ACP checkout §4.5: cancelling a completed or cancelled session is 405, not the usual 409.
        if (isCheckoutProblem(error) && error.code === 'invalid_transition') {
          return acpError(405, 'invalid_state', error.message);
        }
        throw error;
      }
    },
  };
}
