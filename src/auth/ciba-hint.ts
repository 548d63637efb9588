import type { ConfirmationRequest } from '../domain/confirmation.js';
import type { Order } from '../domain/order.js';
import { E164, withoutPhonePunctuation } from '../domain/phone.js';
import type { ConfirmationService } from '../services/payments/confirmation-service.js';

/** What CIBA reads on the shop's side (and opens, for an order that has no request yet); main.ts wires it. */
export interface CibaShop {
  /** The order a confirmation code names ("K7M2"). */
  orderByCode(code: string): Order | undefined;
  order(id: string): Order | undefined;
  /** The OAuth subject of a customer (`acp:…` for an ACP checkout's buyer). */
  subjectOf(customerId: string): string | undefined;
  /** Requests still pending, for a phone-number hint: a small shop has a handful at a time. */
  pendingConfirmations(): readonly ConfirmationRequest[];
  /** Opens a request (channel `ciba`) for an order awaiting confirmation that has none. */
  openConfirmation(order: Order): ConfirmationRequest;
  readonly confirmations: Pick<ConfirmationService, 'current' | 'poll' | 'decided'>;
}

/** The order a backchannel request confirms, its pending confirmation, and the customer it signs in. */
export interface CibaTarget {
  readonly order: Order;
  readonly confirmation: ConfirmationRequest;
  readonly subject: string;
}

/** A hint that names one order awaiting confirmation, or the CIBA error code (§13) saying why not. */
export type HintResolution =
  | { readonly ok: true; readonly target: CibaTarget }
  | {
      readonly ok: false;
      readonly error: 'unknown_user_id' | 'invalid_binding_message';
      readonly description: string;
    };

const ORDER_CODE = /^[A-Z0-9]{4,8}$/;

/**
 * Resolves `login_hint` — an order's confirmation code, or the customer's phone number — to the one
 * order awaiting confirmation it names, and checks `binding_message` against that order's. Knowing the
 * order is what lets a client attach to its confirmation: a phone number is no secret, so with one the
 * binding message (which carries the order code) is required.
 */
export function resolveHint(
  shop: CibaShop,
  hint: string,
  bindingMessage: string | undefined,
): HintResolution {
  const phone = withoutPhonePunctuation(hint);
  const code = hint.trim().toUpperCase();
  let orders: readonly Order[] = [];
  if (E164.test(phone)) {
    if (bindingMessage === undefined) {
      return refuse(
        'invalid_binding_message',
        'with a phone number as login_hint, send the order’s binding_message',
      );
    }
    orders = awaitingWithPhone(shop, phone);
  } else if (ORDER_CODE.test(code)) {
    const order = shop.orderByCode(code);
    orders = order === undefined ? [] : [order];
  }
  const targets = orders.flatMap((order) => targetOf(shop, order) ?? []);
  if (targets.length === 0)
    return refuse('unknown_user_id', 'no order awaiting confirmation matches login_hint');
  const matching =
    bindingMessage === undefined
      ? targets
      : targets.filter((t) => sameWords(t.confirmation.bindingMessage, bindingMessage));
  const [only, ...others] = matching;
  if (only === undefined) {
    return refuse('invalid_binding_message', 'binding_message is not the order’s binding message');
  }
  if (others.length > 0) {
    return refuse('unknown_user_id', 'several orders await confirmation for login_hint; use the order code');
  }
  return { ok: true, target: only };
}

/** The order's pending request and customer; none for an ACP buyer, who has no sign-in identity. */
function targetOf(shop: CibaShop, order: Order): CibaTarget | undefined {
  if (order.state !== 'awaiting_confirmation') return undefined;
  const subject = shop.subjectOf(order.customerId);
  if (subject === undefined || subject.startsWith('acp:')) return undefined;
  // current() expires an overdue request, and its order with it: then there is nothing to confirm.
  const current = shop.confirmations.current(order.id);
  // An order placed before confirmation requests existed has none: it gets one now.
  const confirmation = current ?? shop.openConfirmation(order);
  return confirmation.state === 'pending' ? { order, confirmation, subject } : undefined;
}

function awaitingWithPhone(shop: CibaShop, phone: string): Order[] {
  return shop.pendingConfirmations().flatMap((request) => {
    const order = shop.order(request.orderId);
    const orderPhone = order?.customerPhone;
    return order !== undefined && orderPhone !== undefined && withoutPhonePunctuation(orderPhone) === phone
      ? [order]
      : [];
  });
}

/** The same words: Unicode compatibility forms and runs of spaces do not count. */
function sameWords(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

function refuse(error: 'unknown_user_id' | 'invalid_binding_message', description: string): HintResolution {
  return { ok: false, error, description };
}
