import { AppError } from '../../domain/app-error.js';
import type { Order, OrderPayment } from '../../domain/order.js';
import { listPickupSlots, type PickupSlot } from '../../domain/pickup.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { Store } from '../../store/database.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { ShopService } from '../shop/shop-service.js';
import type { Idempotency } from './idempotency.js';
import { createOrderChecks } from './order-checks.js';
import type { OrderService } from './order-service.js';
import type { LineInput, OrderDetails, OrderView } from './order-types.js';

/** Money taken at the shop's own till. */
export type CounterPayment = Extract<OrderPayment['method'], 'counter_cash' | 'counter_card'>;

/** How an order keyed in by staff is paid: at the till now, or when it is picked up. */
export type StaffPayment = CounterPayment | 'pay_at_pickup';

/** A phone or counter order as staff key it in. */
export interface StaffOrderInput {
  readonly lines: readonly LineInput[];
  readonly customerName?: string | undefined;
  /** E.164, already read from what was typed. */
  readonly customerPhone?: string | undefined;
  /** "asap" or a slot's ISO instant. */
  readonly pickupTime: string;
  readonly payment: StaffPayment;
}

/** Orders the shop's staff take by phone or at the counter, through the same order service as assistants. */
export interface StaffOrders {
  /** The draft priced as placing it would price it, with its lines' problems; writes nothing. */
  quote(lines: readonly LineInput[], details?: OrderDetails): OrderView;
  /** The next free pickup slots, as assistants are offered them. */
  pickupSlots(count: number): PickupSlot[];
  /**
   * Creates, places and pays (or promises to pay at pickup) the order in one durable transaction, once
   * per `key`: the same key and input again answer the first order. `actor` is who keyed it in.
   */
  take(
    input: StaffOrderInput,
    key: string,
    actor: string,
  ): { readonly order: Order; readonly replayed: boolean };
  /** A pay-at-pickup order paid at the till: recorded with its audit row, durably. */
  settle(orderId: string, method: CounterPayment, actor: string): Order;
}

export interface StaffOrdersDeps {
  readonly store: Store;
  readonly orders: OrderService;
  readonly ordersRepo: OrdersRepo;
  readonly idempotency: Pick<Idempotency, 'executeSync'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly shop: ShopService;
  readonly menu: MenuCache;
  readonly clock: Clock;
  readonly ids: Ids;
}

/**
 * Creates the staff order use cases. Each order is a customer of its own, `staff:<actor>:<id>`: the day
 * report counts it in the staff channel, and no name or phone carries over from one caller to the next.
 */
export function createStaffOrders(deps: StaffOrdersDeps): StaffOrders {
  const { orders, ordersRepo } = deps;
  const checks = createOrderChecks({
    shop: deps.shop,
    menu: deps.menu,
    clock: deps.clock,
    orders: ordersRepo,
  });

  function enter(input: StaffOrderInput, actor: string): Order {
    const identity = { subject: `staff:${actor}:${deps.ids.next('stf')}` };
    const cart = orders.create(identity, input.lines, {
      customerName: input.customerName,
      customerPhone: input.customerPhone,
      pickupTime: input.pickupTime,
    }).order;
    orders.place(identity, cart.id);
    // Approved by the staff member who took the money or the promise: the print queue and the kitchen
    // signals follow this move as they follow a customer's approval.
    const paid = orders.transitionById(cart.id, 'approve', actor, { method: input.payment });
    deps.audit.record({
      actorKind: 'owner',
      actor,
      action: 'owner.order.take',
      target: paid.id,
      outcome: 'ok',
      input: { payment: input.payment, total: paid.priced?.totals.total, currency: paid.currency },
    });
    return paid;
  }

  return {
    quote: (lines, details = {}) => orders.quote(lines, details),
    pickupSlots: (count) => listPickupSlots(checks.pickupContext(), count),
    take(input, key, actor) {
      const answer = deps.idempotency.executeSync(
        { scope: `staff:${actor}:take_order`, key, body: input },
        () => ({ status: 200, body: { orderId: enter(input, actor).id } }),
        { durable: true },
      );
      const order = ordersRepo.get(answer.body.orderId);
      if (order === undefined)
        throw new AppError('order_not_found', `There is no order ${answer.body.orderId}.`);
      return { order, replayed: answer.replayed };
    },
    settle(orderId, method, actor) {
      return deps.store.durableTransaction(() => {
        const settled = orders.settle(orderId, { method }, actor);
        deps.audit.record({
          actorKind: 'owner',
          actor,
          action: 'owner.order.settle',
          target: settled.id,
          outcome: 'ok',
          input: { payment: method, total: settled.priced?.totals.total, currency: settled.currency },
        });
        return settled;
      });
    },
  };
}
