import Stripe from 'stripe';
import { AppError } from '../../domain/app-error.js';
import type { Declined, PaymentReference, Unavailable } from './payment-port.js';

/** Seconds to wait before retrying after Stripe could not be reached or failed itself. */
const RETRY_AFTER_SECONDS = 5;
const RATE_LIMITED_RETRY_SECONDS = 30;

/**
 * What a failed Stripe call means for the payment. Unreachable, a Stripe-side failure (5xx, 409) or a
 * rate limit: unknown, retry the same attempt. A card or request refusal: declined. Credentials Stripe
 * refuses: the shop's configuration is wrong, an internal error for the owner to fix. Anything else
 * is not a Stripe answer and is rethrown.
 */
export function stripeFailure(error: unknown, reference: PaymentReference): Declined | Unavailable {
  const errors = Stripe.errors;
  if (error instanceof errors.StripeRateLimitError) {
    return unavailable(reference, 'Stripe is busy right now.', RATE_LIMITED_RETRY_SECONDS);
  }
  if (error instanceof errors.StripeConnectionError || error instanceof errors.StripeAPIError) {
    return unavailable(reference, 'Stripe could not be reached or did not answer.', RETRY_AFTER_SECONDS);
  }
  if (error instanceof errors.StripeCardError) {
    return { status: 'declined', reference, code: 'payment_declined', message: error.message };
  }
  if (error instanceof errors.StripeInvalidRequestError || error instanceof errors.StripeIdempotencyError) {
    return {
      status: 'declined',
      reference,
      code: 'invalid',
      message: `The payment provider refused the request${error.code === undefined ? '' : ` (${error.code})`}.`,
    };
  }
  if (error instanceof errors.StripeAuthenticationError || error instanceof errors.StripePermissionError) {
    throw new AppError(
      'internal',
      'Stripe refused the shop’s API key (STRIPE_SECRET_KEY): online payment is unavailable until it is fixed.',
      { cause: error },
    );
  }
  throw error;
}

function unavailable(reference: PaymentReference, message: string, retryAfterSeconds: number): Unavailable {
  return { status: 'unavailable', reference, message, retryAfterSeconds };
}
