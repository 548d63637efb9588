import { AppError, type Violation } from '../../domain/app-error.js';
import type { CheckoutDraft, CheckoutSessionRecord } from '../../domain/checkout.js';
import type { Order } from '../../domain/order.js';
import { toE164 } from '../../domain/phone.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { OrderService } from '../orders/order-service.js';
import type { PaymentVault } from '../payments/payment-vault.js';
import { orderFulfillmentOf } from './checkout-delivery.js';
import { contactOf } from './checkout-draft.js';
import type { CheckoutPayment } from './checkout-types.js';

/** What completing a session into an order needs: the order service, and the vault for delegated cards. */
export interface CheckoutPlaceDeps {
  readonly orders: OrderService;
  readonly ordersRepo: Pick<OrdersRepo, 'get'>;
  readonly vault: Pick<PaymentVault, 'consume'>;
}

/** How a completion pays: whose key, with what, for what buyer and total. */
export interface Completion {
  readonly apiKeyId: string;
  readonly payment: CheckoutPayment;
  readonly buyer: Readonly<Record<string, unknown>> | undefined;
  /** The session's total: what the order must come to, and what a delegated card is charged. */
  readonly total: number;
  /** The submitted codes that applied to the session, placed with its order. */
  readonly codes: readonly string[];
}

/**
 * Places the session's order and, with a delegated card, spends the token and approves it. Spending
 * the token and placing the order stand or fall together: call it inside one savepoint.
 */
export function placeAndPay(deps: CheckoutPlaceDeps, session: CheckoutSessionRecord, c: Completion): Order {
  const placed = placeOrder(deps, session, c.buyer, {
    codes: c.codes,
    paidAtOnce: c.payment.kind !== 'pay_at_pickup',
  });
  const placedTotal = placed.priced?.totals.total;
  if (placedTotal !== c.total) {
    // The order is priced again as it is placed: an offer's hours may end between the two.
    throw new AppError(
      'price_changed',
      `The order came to ${placedTotal} rather than the session's ${c.total}; nothing was placed.`,
    );
  }
  if (c.payment.kind === 'pay_at_pickup') return placed;
  const spent = deps.vault.consume(c.payment.token, {
    apiKeyId: c.apiKeyId,
    checkoutSessionId: session.id,
    amount: c.total,
    currency: session.draft.currency,
  });
  if (!spent.ok) {
    throw new AppError('payment_declined', spent.message, {
      violations: [
        {
          code: 'payment_declined',
          message: spent.message,
          path: 'payment_data.instrument.credential.token',
        },
      ],
      details: { reason: spent.code },
    });
  }
  return deps.orders.transitionById(placed.id, 'approve', `acp:${c.apiKeyId}`, {
    method: 'acp_delegated',
    reference: spent.paymentId,
  });
}

/** The session's order as a cart of its own customer (`acp:<session>`), written afresh, then placed. */
function placeOrder(
  deps: CheckoutPlaceDeps,
  session: CheckoutSessionRecord,
  buyer: Readonly<Record<string, unknown>> | undefined,
  placing: { readonly codes: readonly string[]; readonly paidAtOnce: boolean },
): Order {
  const draft = { ...session.draft, buyer: buyer ?? session.draft.buyer };
  const contact = checkedContact(draft);
  const identity = { subject: `acp:${session.id}` };
  const details = {
    customerName: contact.name,
    customerPhone: contact.phone,
    pickupTime: draft.pickup,
    fulfillment: orderFulfillmentOf(draft),
    promoCodes: placing.codes,
  };
  const lines = draft.items.map((item) => ({
    itemId: item.itemId,
    quantity: item.quantity,
    optionIds: item.optionIds,
  }));
  const existing = session.orderId === undefined ? undefined : deps.ordersRepo.get(session.orderId);
  const cart =
    existing === undefined
      ? deps.orders.create(identity, lines, details).order
      : deps.orders.update(identity, existing.id, {
          ...details,
          removeLineIds: existing.lines.map((l) => l.lineId),
          addLines: lines,
        }).order;
  return deps.orders.place(identity, cart.id, placing.paidAtOnce).order;
}

/** The buyer's name and E.164 phone, or every one of them that is missing at once. */
function checkedContact(draft: CheckoutDraft): { name: string; phone: string } {
  const contact = contactOf(draft);
  const missing: Violation[] = [];
  if (contact.name === undefined) {
    missing.push({
      code: 'customer_details_missing',
      message: 'The kitchen needs a name for the order.',
      path: 'buyer.full_name',
    });
  }
  const phone = contact.phone === undefined ? undefined : toE164(contact.phone, { plusOptional: true });
  if (phone === undefined) {
    missing.push({
      code: 'customer_details_missing',
      message:
        contact.phone === undefined
          ? 'The shop needs the buyer’s phone number to confirm the order.'
          : 'The buyer’s phone number is not a valid international number (E.164, e.g. +15551234567).',
      path: 'buyer.phone_number',
    });
  }
  if (contact.name === undefined || phone === undefined) throw AppError.fromViolations(missing);
  return { name: contact.name, phone };
}
