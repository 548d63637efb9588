/**
 * The payment port: every payment, refund and provider confirmation goes through it.
 *
 * Provider calls are network calls, so a caller brackets each one with two durable commits — the
 * recovery points that make a crash harmless:
 *
 * 1. `store.durableTransaction`: record the attempt as started (order id, `attempt`, `paymentKey(...)`,
 *    `provider.name`), before calling out;
 * 2. `await provider.start(request)` (or `charge`, `refund`);
 * 3. `store.durableTransaction`: record the outcome and act on it (order paid, print job written).
 *
 * After a crash between 1 and 3, the caller calls again with the same `attempt`: the provider answers
 * the same outcome without taking money twice (Stripe replays by the idempotency key derived from order
 * id and attempt; the demo provider derives its ids from that key, and its vault replays a token already
 * spent on the same checkout). An `unavailable` outcome is the same situation: whether the provider
 * acted is unknown, so retry the same attempt, never a new one. A new attempt number is only for after
 * the previous one ended (declined, or a provider notice said failed or expired).
 */
import { AppError } from '../../domain/app-error.js';
import type { Money } from '../../domain/money.js';

/** Which provider takes the money: the `PAYMENTS` setting. */
export type ProviderName = 'demo' | 'stripe';

/** How the customer pays for a placed order: online now, or at the counter when collecting it. */
export type PaymentMethod = 'online' | 'pay_at_pickup';

/**
 * Where a payment stands at its provider: the provider, our idempotency key for the attempt, and the
 * provider's own id (Stripe `cs_…`, `pi_…`, `re_…`; demo `demo…`) once it gave one.
 */
export interface PaymentReference {
  readonly provider: ProviderName;
  readonly key: string;
  readonly id: string | undefined;
}

/** One line as the provider's payment page lists it; `unitAmount` in minor units. */
export interface PaymentLine {
  readonly name: string;
  readonly quantity: number;
  readonly unitAmount: number;
}

/** Starting the payment of a placed order once the customer approved it. */
export interface PaymentRequest {
  readonly orderId: string;
  /** The short code people see ("K7M2"). */
  readonly orderCode: string;
  /** 1 for the first try of this order; see the recovery rules above. */
  readonly attempt: number;
  /** The order's frozen total. */
  readonly amount: Money;
  /** What the payment page lists; their amounts add up to `amount`. */
  readonly lines: readonly PaymentLine[];
  readonly method: PaymentMethod;
  /** Path under PUBLIC_URL a hosted payment page sends the customer back to (the confirmation page). */
  readonly returnPath: string;
  /** When the confirmation runs out; a hosted payment page lives at least until then. */
  readonly expiresAt: Date;
}

/** Spending a delegated ACP payment token on a placed order (ACP checkout complete). */
export interface DelegatedCharge {
  readonly orderId: string;
  readonly attempt: number;
  readonly amount: Money;
  readonly token: string;
  /** The ACP API key completing the checkout; a token is spent only by the key that delegated it. */
  readonly apiKeyId: string;
  readonly checkoutSessionId: string;
}

/** Giving money back for a paid order (canceled after payment). */
export interface RefundRequest {
  readonly orderId: string;
  /** 1 for the first refund of this order. */
  readonly attempt: number;
  /** The reference of the `paid` outcome or notice. */
  readonly payment: PaymentReference;
  readonly amount: Money;
}

/** The money was taken. */
export interface Paid {
  readonly status: 'paid';
  readonly reference: PaymentReference;
  readonly amount: Money;
}

/** No money moves now: the order goes to the kitchen marked PAY AT PICKUP. */
export interface PayAtPickup {
  readonly status: 'pay_at_pickup';
  readonly reference: PaymentReference;
  readonly amount: Money;
}

/** The customer pays on the provider's hosted page at `url`; a notice says how it ended. */
export interface Redirect {
  readonly status: 'redirect';
  readonly reference: PaymentReference;
  readonly amount: Money;
  readonly url: string;
  readonly expiresAt: Date;
}

/** Why a payment or refund was refused, in the codes of ACP checkout `MessageError`. */
export type DeclineCode = 'payment_declined' | 'expired' | 'invalid';

/** The provider refused; nothing was taken (or given back). A new attempt may succeed. */
export interface Declined {
  readonly status: 'declined';
  readonly reference: PaymentReference;
  readonly code: DeclineCode;
  /** Safe to show the customer. */
  readonly message: string;
}

/** The provider could not be reached or failed: the outcome is unknown. Retry the same attempt. */
export interface Unavailable {
  readonly status: 'unavailable';
  readonly reference: PaymentReference;
  readonly message: string;
  readonly retryAfterSeconds: number;
}

/** The money goes back; `settled` is false while the provider still processes the refund. */
export interface Refunded {
  readonly status: 'refunded';
  readonly reference: PaymentReference;
  readonly amount: Money;
  readonly settled: boolean;
}

export type StartOutcome = Paid | PayAtPickup | Redirect | Declined | Unavailable;
export type ChargeOutcome = Paid | Declined | Unavailable;
export type RefundOutcome = Refunded | Declined | Unavailable;

/** A payment provider. Every call is idempotent per order and attempt; none runs inside a transaction. */
export interface PaymentProvider {
  readonly name: ProviderName;
  /** The methods the confirmation page may offer, preferred first. */
  readonly methods: readonly PaymentMethod[];
  /** Starts paying for a placed, approved order. */
  start(request: PaymentRequest): Promise<StartOutcome>;
  /** Spends a delegated ACP payment token. */
  charge(request: DelegatedCharge): Promise<ChargeOutcome>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
}

/** What a provider says later, on its own (a verified Stripe webhook event), about one attempt. */
export type PaymentNotice =
  | (NoticeBase & { readonly kind: 'paid'; readonly amount: Money })
  | (NoticeBase & { readonly kind: 'failed'; readonly message: string })
  | (NoticeBase & { readonly kind: 'expired' });

interface NoticeBase {
  readonly provider: ProviderName;
  /** The provider's event id: a replay carries the same one. */
  readonly eventId: string;
  readonly eventType: string;
  readonly orderId: string;
  readonly attempt: number;
  /** For `paid`, the reference a refund needs (Stripe: the PaymentIntent). */
  readonly reference: PaymentReference;
}

function checkedAttempt(attempt: number): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new AppError('internal', `A payment attempt is a whole number from 1, not ${attempt}.`);
  }
  return attempt;
}

/** The idempotency key of a payment attempt, the same across restarts: `counterpi:ord_…:pay:1`. */
export function paymentKey(orderId: string, attempt: number): string {
  return `counterpi:${orderId}:pay:${checkedAttempt(attempt)}`;
}

/** The idempotency key of a refund attempt: `counterpi:ord_…:refund:1`. */
export function refundKey(orderId: string, attempt: number): string {
  return `counterpi:${orderId}:refund:${checkedAttempt(attempt)}`;
}
