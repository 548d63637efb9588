import { AppError } from '../../domain/app-error.js';
import type { Order } from '../../domain/order.js';
import { orderRefund } from '../../domain/order-refund.js';
import type { Store } from '../../store/database.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { PaymentProvider, ProviderName } from '../payments/payment-port.js';
import { paymentKey } from '../payments/payment-port.js';
import type { OrderService } from './order-service.js';

/** What canceling a paid order did: canceled with nothing to give back, or refunded. */
export interface PaidCancel {
  readonly order: Order;
  readonly refunded: boolean;
}

/** The shop cancels an order the customer already paid (or confirmed to pay at pickup). */
export interface OrderRefunds {
  cancelPaid(orderId: string, actor: string): Promise<PaidCancel>;
}

const MONEY_TAKEN = new Set(['demo_card', 'stripe', 'acp_delegated']);

function providerOf(order: Order): ProviderName {
  return order.payment?.method === 'stripe' ? 'stripe' : 'demo';
}

/**
 * Refunds through the provider that took the money, then moves the order to `refunded` in a durable
 * commit; an order to be paid at pickup is simply canceled (nothing to give back). The provider call
 * is keyed by the order, so repeating a cancel after a crash never refunds twice.
 */
export function createOrderRefunds(deps: {
  store: Store;
  orders: Pick<OrderService, 'transitionById'>;
  ordersRepo: Pick<OrdersRepo, 'get'>;
  payments: Pick<PaymentProvider, 'name' | 'refund'>;
}): OrderRefunds {
  return {
    async cancelPaid(orderId, actor) {
      const order = deps.ordersRepo.get(orderId);
      if (order === undefined) throw new AppError('order_not_found', `There is no order ${orderId}.`);
      const payment = order.payment;
      if (payment === undefined || !MONEY_TAKEN.has(payment.method)) {
        // Pay at pickup: no money moved; a paid-at-pickup order not yet in the kitchen is canceled.
        const event = order.state === 'paid' ? 'cancel' : 'refund';
        return { order: deps.orders.transitionById(orderId, event, actor), refunded: false };
      }
      const provider = providerOf(order);
      if (provider !== deps.payments.name) {
        throw new AppError(
          'invalid_transition',
          `Order ${order.code} was paid through ${provider}, and this shop now takes payments through ${deps.payments.name}: refund it there.`,
        );
      }
      // What was charged: after the order's discounts, never its menu prices.
      const total = order.priced === undefined ? 0 : orderRefund(order.priced).amount;
      const outcome = await deps.payments.refund({
        orderId,
        attempt: 1,
        payment: { provider, key: paymentKey(orderId, 1), id: payment.reference },
        amount: { amount: total, currency: order.currency },
      });
      if (outcome.status !== 'refunded') {
        throw new AppError(
          'invalid_transition',
          `The refund of ${order.code} did not go through: ${outcome.message}`,
        );
      }
      const refunded = deps.store.durableTransaction(() =>
        deps.orders.transitionById(orderId, 'refund', actor),
      );
      return { order: refunded, refunded: true };
    },
  };
}
