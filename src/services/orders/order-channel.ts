import { channelOfSubject, type SalesChannel } from '../../domain/day-report.js';
import type { Order } from '../../domain/order.js';
import type { OrdersRepo } from '../../store/orders-repo.js';

/** Where an order came from (assistant, ACP agent or staff), read from its customer's subject. */
export function orderChannel(
  repo: Pick<OrdersRepo, 'subjectOf'>,
  order: Pick<Order, 'customerId'>,
): SalesChannel {
  return channelOfSubject(repo.subjectOf(order.customerId));
}
