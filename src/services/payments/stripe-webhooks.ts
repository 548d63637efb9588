import Stripe from 'stripe';
import { AppError } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import { type PaymentNotice, type PaymentReference, paymentKey } from './payment-port.js';

/** Verifies Stripe webhook deliveries and reads the payment notices out of them. */
export interface StripeWebhooks {
  /**
   * The notice in a delivery, or undefined for an event about no order of ours (other event types, a
   * session made elsewhere, a completed session still waiting for an asynchronous payment). Throws
   * `invalid_input` when the signature is missing, wrong or too old.
   */
  verify(rawBody: string, signature: string | undefined): PaymentNotice | undefined;
}

export interface StripeWebhooksDeps {
  /** The endpoint's signing secret (`whsec_…`, STRIPE_WEBHOOK_SECRET). */
  readonly secret: string;
  readonly clock: Clock;
  /** How old a signed delivery may be; Stripe's default is 300 s. */
  readonly toleranceSeconds?: number;
}

/** The Stripe events this shop acts on; the endpoint in the Stripe dashboard needs only these. */
export const STRIPE_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
] as const;

type SessionEvent = Extract<Stripe.Event, { type: (typeof STRIPE_EVENTS)[number] }>;

function isSessionEvent(event: Stripe.Event): event is SessionEvent {
  return (STRIPE_EVENTS as readonly string[]).includes(event.type);
}

/** The notice of one Checkout Session event, or undefined when it names no attempt of ours. */
export function noticeOf(event: Stripe.Event): PaymentNotice | undefined {
  if (!isSessionEvent(event)) return undefined;
  const session = event.data.object;
  const orderId = session.client_reference_id ?? session.metadata?.order_id;
  const attempt = Number(session.metadata?.attempt);
  if (orderId === undefined || orderId === null || !Number.isSafeInteger(attempt) || attempt < 1) {
    return undefined;
  }
  const reference: PaymentReference = {
    provider: 'stripe',
    key: paymentKey(orderId, attempt),
    id: session.id,
  };
  const base = { provider: 'stripe' as const, eventId: event.id, eventType: event.type, orderId, attempt };
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      if (session.payment_status === 'unpaid') return undefined;
      const intent = session.payment_intent;
      const paid = typeof intent === 'string' ? intent : (intent?.id ?? session.id);
      const amount = { amount: session.amount_total ?? 0, currency: (session.currency ?? '').toUpperCase() };
      return { ...base, kind: 'paid', reference: { ...reference, id: paid }, amount };
    }
    case 'checkout.session.async_payment_failed':
      return { ...base, kind: 'failed', reference, message: 'The payment did not go through.' };
    case 'checkout.session.expired':
      return { ...base, kind: 'expired', reference };
  }
}

/** Checks `Stripe-Signature` over the raw body with the endpoint secret (Stripe: Verify webhook signatures). */
export function createStripeWebhooks(deps: StripeWebhooksDeps): StripeWebhooks {
  const tolerance = deps.toleranceSeconds ?? Stripe.webhooks.DEFAULT_TOLERANCE;
  return {
    verify(rawBody, signature) {
      if (signature === undefined || signature === '') {
        throw new AppError('invalid_input', 'The delivery has no Stripe-Signature header.');
      }
      let event: Stripe.Event;
      try {
        event = Stripe.webhooks.constructEvent(
          rawBody,
          signature,
          deps.secret,
          tolerance,
          undefined,
          deps.clock.now().getTime(),
        );
      } catch (error) {
        throw new AppError('invalid_input', 'The Stripe-Signature does not match this delivery.', {
          cause: error,
        });
      }
      return noticeOf(event);
    },
  };
}
