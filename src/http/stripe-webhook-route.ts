import type { Hono } from 'hono';
import { isAppError } from '../domain/app-error.js';
import type { Logger } from '../platform/logger.js';
import type { PaymentNotices } from '../services/payments/payment-notices.js';
import type { StripeWebhooks } from '../services/payments/stripe-webhooks.js';
import type { AppEnv } from './app.js';
import { errorBody, statusForCode } from './error-response.js';
import { readBodyText } from './read-body.js';

/** Where Stripe delivers events; the URL to enter in the Stripe dashboard is PUBLIC_URL + this path. */
export const STRIPE_WEBHOOK_PATH = '/payments/stripe/webhook';

export interface StripeWebhookDeps {
  readonly webhooks: StripeWebhooks;
  readonly notices: PaymentNotices;
  readonly log: Logger;
}

/**
 * Mounts `POST /payments/stripe/webhook`: the raw body is verified against `Stripe-Signature` before
 * anything is read from it (400 when it does not match); a verified event is answered 200 whether it
 * was applied, replayed or is not about an order of ours, so Stripe stops sending it. A failure to
 * apply it answers 500 through the app's error handler, and Stripe sends it again later.
 */
export function mountStripeWebhook(app: Hono<AppEnv>, deps: StripeWebhookDeps): void {
  app.post(STRIPE_WEBHOOK_PATH, async (c) => {
    const raw = await readBodyText(c);
    let notice: ReturnType<StripeWebhooks['verify']>;
    try {
      notice = deps.webhooks.verify(raw, c.req.header('stripe-signature'));
    } catch (error) {
      if (!isAppError(error, 'invalid_input')) throw error;
      deps.log.warn({ req_id: c.get('requestId') }, 'stripe webhook refused: bad signature');
      return c.json(errorBody(error.code, error.message, c.get('requestId')), statusForCode(error.code));
    }
    if (notice === undefined) return c.json({ received: true, outcome: 'ignored' });
    const outcome = deps.notices.receive(notice);
    const fields = {
      req_id: c.get('requestId'),
      event_id: notice.eventId,
      event_type: notice.eventType,
      order_id: notice.orderId,
      outcome,
    };
    if (outcome === 'rejected') deps.log.warn(fields, 'stripe event refused by the order');
    else deps.log.info(fields, 'stripe event');
    return c.json({ received: true, outcome });
  });
}
