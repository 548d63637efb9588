import Stripe from 'stripe';
import { AppError } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import {
  type PaymentProvider,
  type PaymentReference,
  type PaymentRequest,
  paymentKey,
  type RefundOutcome,
  type RefundRequest,
  refundKey,
  type StartOutcome,
} from './payment-port.js';
import { stripeFailure } from './stripe-failure.js';

export interface StripeProviderDeps {
  /** The official client (createStripeClient); tests point it at a fake Stripe on loopback. */
  readonly stripe: Stripe;
  /** The shop's public origin: the hosted page sends the customer back under it. */
  readonly publicUrl: string;
  readonly clock: Clock;
}

const MINUTE_MS = 60_000;
/** Stripe Checkout accepts `expires_at` from 30 minutes to 24 hours ahead; keep a margin on both ends. */
const MIN_SESSION_MS = 31 * MINUTE_MS;
const MAX_SESSION_MS = 23 * 60 * MINUTE_MS;

/** `returnPath` under `publicUrl` with `payment=<outcome>`; refuses anything that leaves the origin. */
function returnUrl(publicUrl: string, returnPath: string, outcome: 'paid' | 'canceled'): string {
  const origin = new URL(publicUrl).origin;
  const url = new URL(returnPath, origin);
  if (!returnPath.startsWith('/') || url.origin !== origin) {
    throw new AppError('internal', `A payment return path is a path under PUBLIC_URL, not "${returnPath}".`);
  }
  url.searchParams.set('payment', outcome);
  return url.href;
}

/** The Checkout Session parameters of a payment request (Stripe API: Create a Checkout Session). */
export function checkoutSessionParams(
  request: PaymentRequest,
  publicUrl: string,
  now: Date,
): Stripe.Checkout.SessionCreateParams {
  const currency = request.amount.currency.toLowerCase();
  const wanted = request.expiresAt.getTime() - now.getTime();
  const lifetime = Math.min(MAX_SESSION_MS, Math.max(MIN_SESSION_MS, wanted));
  const metadata = {
    order_id: request.orderId,
    order_code: request.orderCode,
    attempt: String(request.attempt),
  };
  return {
    mode: 'payment',
    line_items: request.lines.map((line) => ({
      quantity: line.quantity,
      price_data: { currency, unit_amount: line.unitAmount, product_data: { name: line.name } },
    })),
    // Stripe fills in {CHECKOUT_SESSION_ID} itself; it must stay unencoded.
    success_url: `${returnUrl(publicUrl, request.returnPath, 'paid')}&session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: returnUrl(publicUrl, request.returnPath, 'canceled'),
    client_reference_id: request.orderId,
    metadata,
    payment_intent_data: { description: `Order ${request.orderCode}`, metadata },
    expires_at: Math.floor((now.getTime() + lifetime) / 1000),
  };
}

/**
 * Stripe: the customer pays on a hosted Checkout page; `checkout.session.completed` (stripe-webhooks.ts)
 * says paid. Refunds go to the PaymentIntent. Every call carries an idempotency key from the order id
 * and attempt, so a retry after a crash or a lost answer never charges or refunds twice.
 */
export function createStripeProvider(deps: StripeProviderDeps): PaymentProvider {
  const { stripe, publicUrl, clock } = deps;

  async function start(request: PaymentRequest): Promise<StartOutcome> {
    if (request.method !== 'online') {
      throw new AppError('invalid_input', 'With Stripe, orders are paid online when confirmed.');
    }
    const key = paymentKey(request.orderId, request.attempt);
    const reference: PaymentReference = { provider: 'stripe', key, id: undefined };
    const params = checkoutSessionParams(request, publicUrl, clock.now());
    let session: Stripe.Checkout.Session;
    try {
      session = await stripe.checkout.sessions.create(params, { idempotencyKey: key });
    } catch (error) {
      return stripeFailure(error, reference);
    }
    if (session.url === null || (session.amount_total ?? request.amount.amount) !== request.amount.amount) {
      throw new AppError(
        'internal',
        `Stripe answered Checkout Session ${session.id} without a page or with another total.`,
      );
    }
    return {
      status: 'redirect',
      reference: { ...reference, id: session.id },
      amount: request.amount,
      url: session.url,
      expiresAt: new Date(session.expires_at * 1000),
    };
  }

  async function refund(request: RefundRequest): Promise<RefundOutcome> {
    const paid = request.payment.id;
    if (request.payment.provider !== 'stripe' || paid === undefined) {
      throw new AppError('internal', `Stripe cannot refund a ${request.payment.provider} payment.`);
    }
    const reference: PaymentReference = {
      provider: 'stripe',
      key: refundKey(request.orderId, request.attempt),
      id: undefined,
    };
    const target = paid.startsWith('ch_') ? { charge: paid } : { payment_intent: paid };
    let refunded: Stripe.Refund;
    try {
      refunded = await stripe.refunds.create(
        {
          ...target,
          amount: request.amount.amount,
          reason: 'requested_by_customer',
          metadata: { order_id: request.orderId, attempt: String(request.attempt) },
        },
        { idempotencyKey: reference.key },
      );
    } catch (error) {
      // The money is back already (an earlier refund whose answer was lost past Stripe's key lifetime).
      if (
        error instanceof Stripe.errors.StripeInvalidRequestError &&
        error.code === 'charge_already_refunded'
      ) {
        return { status: 'refunded', reference, amount: request.amount, settled: true };
      }
      return stripeFailure(error, reference);
    }
    const done = { ...reference, id: refunded.id };
    if (refunded.status === 'failed' || refunded.status === 'canceled') {
      return {
        status: 'declined',
        reference: done,
        code: 'payment_declined',
        message: 'Stripe could not refund this payment; the shop will refund it another way.',
      };
    }
    return {
      status: 'refunded',
      reference: done,
      amount: request.amount,
      settled: refunded.status === 'succeeded',
    };
  }

  return {
    name: 'stripe',
    methods: ['online'],
    start,
    async charge(request) {
      // Delegated tokens come from the embedded demo vault, which keeps no card a real provider could charge.
      return {
        status: 'declined',
        reference: { provider: 'stripe', key: paymentKey(request.orderId, request.attempt), id: undefined },
        code: 'invalid',
        message:
          'This shop takes card payments through Stripe: complete the checkout without a payment token and the buyer pays on their phone.',
      };
    },
    refund,
  };
}
