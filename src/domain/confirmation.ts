import type { Violation } from './app-error.js';
import { formatMoney } from './money.js';
import type { Order } from './order.js';

/**
 * A request to the customer to confirm an order on their own phone, modelled on OpenID CIBA:
 * an opaque `auth_req_id`, a binding message shown on both sides, an expiry and a poll interval.
 */
export type ConfirmationState = 'pending' | 'approved' | 'denied' | 'expired';

/** How the customer pays once they approve. */
export type PaymentChoice = 'demo_card' | 'pay_at_pickup' | 'stripe' | 'delegated';

export interface ConfirmationRequest {
  /** Opaque, given to the assistant or the CIBA client: what they poll with. */
  readonly authReqId: string;
  /** Opaque, in the link the customer opens: whoever holds it may approve, so it is never logged. */
  readonly linkToken: string;
  readonly orderId: string;
  readonly state: ConfirmationState;
  /** "Order K7M2 · 3 items · $18.40": the same words on the assistant's side and on the phone. */
  readonly bindingMessage: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** Seconds a client waits between polls; a faster poll gets `slow_down` and a longer interval. */
  readonly interval: number;
  readonly lastPolledAt: Date | undefined;
  readonly decidedAt: Date | undefined;
  readonly payment: PaymentChoice | undefined;
  /** Who asked: `mcp` (place_order), `acp` (a checkout complete) or `ciba` (the backchannel endpoint). */
  readonly channel: 'mcp' | 'acp' | 'ciba';
  readonly version: number;
}

/** Ten minutes to confirm, polled every five seconds: the defaults of the CIBA examples. */
export const CONFIRMATION_TTL_SECONDS = 600;
export const POLL_INTERVAL_SECONDS = 5;
/** What `slow_down` adds to the interval (RFC 8628 §3.5, used by CIBA poll mode). */
export const SLOW_DOWN_SECONDS = 5;
/** Longest binding message: short enough for a phone screen and an SMS. */
export const MAX_BINDING_MESSAGE = 64;

/** "Order K7M2 · 3 items · $18.40", in the shop's currency and locale. */
export function bindingMessage(order: Order, total: number, locale: string): string {
  const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
  const text = `Order ${order.code} · ${units} item${units === 1 ? '' : 's'} · ${formatMoney(total, order.currency, locale)}`;
  return text.slice(0, MAX_BINDING_MESSAGE);
}

/** What a poll answers: the state, or that the client polls too fast (and must wait longer). */
export type PollOutcome =
  | { readonly kind: 'state'; readonly state: ConfirmationState; readonly interval: number }
  | { readonly kind: 'slow_down'; readonly interval: number };

/** A poll at `now`: too soon after the last one → slow_down with a longer interval. */
export function poll(request: ConfirmationRequest, now: Date): PollOutcome {
  const state = effectiveState(request, now);
  const last = request.lastPolledAt;
  if (state === 'pending' && last !== undefined && now.getTime() - last.getTime() < request.interval * 1000) {
    return { kind: 'slow_down', interval: request.interval + SLOW_DOWN_SECONDS };
  }
  return { kind: 'state', state, interval: request.interval };
}

/** Pending requests past their expiry count as expired even before the timer writes it. */
export function effectiveState(request: ConfirmationRequest, now: Date): ConfirmationState {
  return request.state === 'pending' && now.getTime() >= request.expiresAt.getTime()
    ? 'expired'
    : request.state;
}

/** Why a decision is refused: a decided or expired request never changes again. */
export function decisionRefusal(request: ConfirmationRequest, now: Date): Violation | undefined {
  const state = effectiveState(request, now);
  if (state === 'pending') return undefined;
  const messages: Record<Exclude<ConfirmationState, 'pending'>, string> = {
    approved: 'This order is already confirmed.',
    denied: 'This order was declined.',
    expired: 'This confirmation link has expired. Ask your assistant to place the order again.',
  };
  return { code: 'invalid_transition', message: messages[state] };
}
