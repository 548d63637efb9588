import { AppError, type Violation } from '../../domain/app-error.js';
import { PICKUP } from '../../domain/delivery.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import { asDiscounted } from '../../domain/offers.js';
import type { Customer, Order, OrderLine, OrderPayment } from '../../domain/order.js';
import { type OrderEvent, transition } from '../../domain/order-lifecycle.js';
import { resolvePickup } from '../../domain/pickup.js';
import type { Clock } from '../../platform/clock.js';
import { type Ids, unusedReadableCode } from '../../platform/ids.js';
import type { Store } from '../../store/database.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { OfferService } from '../offers/offer-service.js';
import type { OrderGate } from '../operations/order-gate.js';
import type { ShopService } from '../shop/shop-service.js';
import { createOrderChecks } from './order-checks.js';
import type { OrderEvents } from './order-events.js';
import { chooseFulfillment, placedFulfillment, repeatFulfillment } from './order-fulfillment.js';
import { changeLines, toLines } from './order-lines.js';
import { assertCodeApplies, codesAfter, refusedProblems } from './order-offers.js';
import { pathsByLineId, priceWithOffers } from './order-pricing.js';
import type { CustomerIdentity, LineInput, OrderChanges, OrderDetails, OrderView } from './order-types.js';
import { normalizePickupTime } from './pickup-time.js';

/** The ordering use cases: one open cart per customer, placed, canceled and reordered. */
export interface OrderService {
  customer(identity: CustomerIdentity): Customer;
  create(identity: CustomerIdentity, lines: readonly LineInput[], details: OrderDetails): OrderView;
  update(identity: CustomerIdentity, orderId: string, changes: OrderChanges): OrderView;
  /** `paidAtOnce`: the caller pays it by a delegated card in the same transaction (ACP), so no confirmation opens. */
  place(identity: CustomerIdentity, orderId: string, paidAtOnce?: boolean): OrderView;
  get(identity: CustomerIdentity, orderId: string): OrderView;
  /** The customer's open cart, if any, and their most recent orders, newest first. */
  recent(identity: CustomerIdentity, limit: number): OrderView[];
  cancel(identity: CustomerIdentity, orderId: string): OrderView;
  /**
   * Moves an order outside a customer's session: approval on the confirmation page or by a delegated
   * payment (`approve`, with how it was paid), a denial, the expiry timer, the kitchen. `actor` says who.
   */
  transitionById(orderId: string, event: OrderEvent, actor: string, payment?: OrderPayment): Order;
  reorder(identity: CustomerIdentity, orderId: string | undefined): OrderView;
  /** Prices lines and details as `create` would, with the problems its lines have; writes nothing. */
  quote(lines: readonly LineInput[], details: OrderDetails): OrderView;
  /**
   * Records how an order that was to be paid at pickup was paid at the counter; its state stays. Refused
   * (`invalid_transition`) for an order paid already, or one no longer in play.
   */
  settle(orderId: string, payment: OrderPayment, actor: string): Order;
}

export interface OrderServiceDeps {
  readonly store: Store;
  readonly orders: OrdersRepo;
  readonly shop: ShopService;
  readonly menu: MenuCache;
  readonly clock: Clock;
  readonly ids: Ids;
  /** Told of every state change, inside the transaction that saves it (see order-events.ts). */
  readonly events?: Pick<OrderEvents, 'emit'>;
  /** Refuses orders while the clock is behind or the disk short of space (src/services/operations/order-gate.ts). */
  readonly gate?: OrderGate;
  /** The shop's offers: without them, orders are priced at menu prices and take no code. */
  readonly offers?: OfferService;
}

const REORDERABLE = new Set(['paid', 'in_kitchen', 'ready', 'collected', 'canceled', 'expired', 'refunded']);
/** States in which an order promised to be paid at pickup can still be paid. */
const SETTLEABLE = new Set(['paid', 'in_kitchen', 'ready', 'collected']);

/** Creates the order service. Each command is one SQLite transaction. */
export function createOrderService(deps: OrderServiceDeps): OrderService {
  const { store, orders, shop, menu, clock, ids } = deps;
  const { check, pickupContext, deliveryProblems, assertValidCart } = createOrderChecks({
    shop,
    menu,
    clock,
    orders,
  });

  function customer(identity: CustomerIdentity): Customer {
    return store.transaction(() => {
      const known = orders.customerBySubject(identity.subject);
      if (known !== undefined) return known;
      const created: Customer = {
        id: ids.next('cus'),
        subject: identity.subject,
        name: undefined,
        phone: undefined,
      };
      orders.insertCustomer(created, clock.now().getTime());
      return created;
    });
  }

  function owned(identity: CustomerIdentity, orderId: string): { who: Customer; order: Order } {
    const who = customer(identity);
    const order = orders.get(orderId) ?? orders.getByCode(orderId.toUpperCase());
    if (order === undefined || order.customerId !== who.id) {
      throw new AppError('order_not_found', `There is no order ${orderId} for you.`, {
        details: { order_id: orderId },
      });
    }
    return { who, order };
  }

  function view(
    order: Order,
    index: MenuIndex = menu.index(),
    dropped: readonly string[] = [],
    fulfillmentNote?: string,
  ): OrderView {
    const priced = order.priced === undefined ? price(order, index) : asDiscounted(order.priced);
    const problems =
      order.state === 'cart'
        ? [
            ...pathsByLineId(check(order, index, false), order),
            ...deliveryOf(order, priced.totals.subtotal),
            ...refusedProblems(priced),
          ]
        : [];
    return {
      order,
      priced,
      problems,
      dropped,
      ...(fulfillmentNote === undefined ? {} : { fulfillmentNote }),
    };
  }

  /** The order's prices now, with the shop's offers and its codes. */
  function price(order: Order, index: MenuIndex) {
    const customer = { customerId: order.customerId, phone: order.customerPhone };
    const offers = deps.offers?.contextFor(order.promoCodes ?? [], customer);
    return priceWithOffers(order, index, shop.settings(), offers);
  }

  /** A meal deal ordered as a line with its choices becomes its parts' lines. */
  function expand(lines: readonly LineInput[]): readonly LineInput[] {
    return deps.offers === undefined ? lines : deps.offers.expandDeals(lines, menu.index());
  }

  /** The delivery rules the order breaks; none for a pickup. */
  function deliveryOf(order: Order, itemsSubtotal: number): Violation[] {
    return order.fulfillment.type === 'delivery'
      ? deliveryProblems(order.fulfillment.address, itemsSubtotal)
      : [];
  }

  function withDetails(order: Order, details: OrderDetails): Order {
    return {
      ...order,
      pickup:
        details.pickupTime === undefined
          ? order.pickup
          : normalizePickupTime(details.pickupTime, shop.calendar(), clock.now()),
      customerName: details.customerName ?? order.customerName,
      customerPhone: details.customerPhone ?? order.customerPhone,
      tip: details.tip ?? order.tip,
      promoCodes:
        deps.offers !== undefined && details.promoCodes !== undefined
          ? [...details.promoCodes]
          : codesAfter(order.promoCodes, deps.offers === undefined ? undefined : details.promoCode),
      fulfillment: chooseFulfillment(
        order.fulfillment,
        details.fulfillment,
        shop.settings(),
        deliveryProblems,
      ),
    };
  }

  function newCode(): string {
    return unusedReadableCode(4, (code) => orders.getByCode(code) !== undefined);
  }

  function insertCart(who: Customer, lines: readonly OrderLine[], details: OrderDetails): Order {
    const existing = orders.cartOf(who.id);
    if (existing !== undefined) {
      throw new AppError(
        'order_exists',
        `You already have an open order ${existing.code} (${existing.lines.length} line(s)).`,
        { details: { order_id: existing.id } },
      );
    }
    const order = draft(who, lines, details, { id: ids.next('ord'), code: newCode() });
    assertValidCart(order, false);
    assertCodeApplies(details.promoCode, price(order, menu.index()));
    orders.insert(order);
    orders.recordEvent({
      orderId: order.id,
      event: 'create',
      from: undefined,
      to: 'cart',
      actor: who.id,
      atMs: order.createdAt.getTime(),
    });
    rememberContact(who, order);
    return order;
  }

  /** A new cart of `who` with `lines` and `details`, not yet checked or written. */
  function draft(
    who: Pick<Customer, 'id' | 'name' | 'phone'>,
    lines: readonly OrderLine[],
    details: OrderDetails,
    named: Pick<Order, 'id' | 'code'>,
  ): Order {
    const now = clock.now();
    const base: Order = {
      ...named,
      customerId: who.id,
      state: 'cart',
      lines,
      nextLine: lines.length + 1,
      pickup: 'asap',
      pickupSlot: undefined,
      fulfillment: PICKUP,
      customerName: who.name,
      customerPhone: who.phone,
      tip: { kind: 'none' },
      currency: shop.settings().profile.currency,
      priced: undefined,
      createdAt: now,
      updatedAt: now,
      placedAt: undefined,
      version: 1,
    };
    return withDetails(base, details);
  }

  function rememberContact(who: Customer, order: Order): void {
    if (order.customerName !== who.name || order.customerPhone !== who.phone) {
      orders.updateCustomerContact(who.id, order.customerName, order.customerPhone, clock.now().getTime());
    }
  }

  function save(order: Order, event: string, from: Order['state'], actor: string, paidAtOnce = false): Order {
    const saved = { ...order, version: order.version + 1, updatedAt: clock.now() };
    if (!orders.update(saved)) {
      throw new AppError(
        'invalid_transition',
        `Order ${order.code} was changed at the same time; read it again and retry.`,
      );
    }
    orders.recordEvent({
      orderId: order.id,
      event,
      from,
      to: saved.state,
      actor,
      atMs: saved.updatedAt.getTime(),
    });
    if (saved.state !== from)
      deps.events?.emit(saved, from, { event, actor, ...(paidAtOnce ? { paidAtOnce } : {}) });
    return saved;
  }

  function apply(order: Order, event: OrderEvent): Order {
    const result = transition(order.state, event);
    if (!result.ok)
      throw new AppError('invalid_transition', result.violation.message, { violations: [result.violation] });
    return { ...order, state: result.to };
  }

  return {
    customer,
    create(identity, lines, details) {
      deps.gate?.assertCanStart();
      shop.assertOpen();
      return store.transaction(() =>
        view(insertCart(customer(identity), toLines(expand(lines), 1), details)),
      );
    },
    update(identity, orderId, changes) {
      deps.gate?.assertCanContinue();
      return store.transaction(() => {
        const { who, order } = owned(identity, orderId);
        if (order.state !== 'cart') {
          throw new AppError(
            'order_not_editable',
            `Order ${order.code} is ${order.state.replace('_', ' ')} and can no longer be changed. Cancel it and create a new order instead.`,
          );
        }
        const addLines = changes.addLines === undefined ? undefined : expand(changes.addLines);
        const changed = withDetails(changeLines(order, { ...changes, addLines }), changes);
        // An update may empty the cart (the customer removed everything); placing it is refused later.
        assertValidCart(changed, true);
        assertCodeApplies(changes.promoCode, price(changed, menu.index()));
        const saved = save(changed, 'update', order.state, who.id);
        rememberContact(who, saved);
        return view(saved);
      });
    },
    place(identity, orderId, paidAtOnce) {
      return store.transaction(() => placeOrder(identity, orderId, paidAtOnce === true));
    },
    get: (identity, orderId) => view(owned(identity, orderId).order),
    recent(identity, limit) {
      const who = customer(identity);
      const index = menu.index();
      return orders.recentOf(who.id, limit).map((o) => view(o, index));
    },
    cancel(identity, orderId) {
      return store.transaction(() => {
        const { who, order } = owned(identity, orderId);
        if (order.state === 'paid') {
          throw new AppError(
            'invalid_transition',
            `Order ${order.code} is already paid. Please ask ${shop.settings().profile.name} (${shop.settings().profile.phone}) to cancel and refund it.`,
          );
        }
        return view(save(apply(order, 'cancel'), 'cancel', order.state, who.id));
      });
    },
    transitionById(orderId, event, actor, payment) {
      return store.transaction(() => {
        const order = orders.get(orderId);
        if (order === undefined) throw new AppError('order_not_found', `There is no order ${orderId}.`);
        const moved = apply(order, event);
        return save(payment === undefined ? moved : { ...moved, payment }, event, order.state, actor);
      });
    },
    reorder(identity, orderId) {
      deps.gate?.assertCanStart();
      shop.assertOpen();
      return store.transaction(() => reorderFrom(identity, orderId));
    },
    quote(lines, details) {
      // Nobody's cart: a placeholder customer, id and code, never stored.
      const who = { id: 'quote', name: undefined, phone: undefined };
      return view(draft(who, toLines(lines, 1), details, { id: 'quote', code: '' }));
    },
    settle(orderId, payment, actor) {
      return store.transaction(() => {
        const order = orders.get(orderId);
        if (order === undefined) throw new AppError('order_not_found', `There is no order ${orderId}.`);
        if (order.payment?.method !== 'pay_at_pickup' || !SETTLEABLE.has(order.state)) {
          throw new AppError(
            'invalid_transition',
            `Order ${order.code} is not waiting to be paid at pickup; nothing changed.`,
          );
        }
        return save({ ...order, payment }, 'settle', order.state, actor);
      });
    },
  };

  function placeOrder(identity: CustomerIdentity, orderId: string, paidAtOnce = false): OrderView {
    const { who, order } = owned(identity, orderId);
    if (order.state === 'awaiting_confirmation') return view(order);
    deps.gate?.assertCanContinue();
    shop.assertOpen();
    const index = menu.index();
    const pickup = resolvePickup(pickupContext(), order.pickup);
    const problems = pathsByLineId(
      check(order, index, true, pickup.ok ? pickup.slotStart : undefined),
      order,
    );
    if (!pickup.ok) problems.push(pickup.violation);
    const settings = shop.settings();
    const priced = price(order, index);
    problems.push(...deliveryOf(order, priced.totals.subtotal), ...refusedProblems(priced));
    if (order.customerName === undefined) {
      problems.push({
        code: 'customer_details_missing',
        message: 'The kitchen needs a name for the order.',
        path: 'customer_name',
        suggestion:
          'Ask the customer for their name and send it as customer_name, then place the order again.',
      });
    }
    if (problems.length > 0) throw AppError.fromViolations(problems);
    const placed: Order = {
      ...apply(order, 'place'),
      priced,
      fulfillment: placedFulfillment(order, settings),
      pickupSlot: pickup.ok ? pickup.slotStart : undefined,
      placedAt: clock.now(),
    };
    // Inside this transaction: a code's last use taken by another order first refuses this one.
    deps.offers?.hold(placed, priced);
    return view(save(placed, 'place', order.state, who.id, paidAtOnce), index);
  }

  function reorderFrom(identity: CustomerIdentity, orderId: string | undefined): OrderView {
    const who = customer(identity);
    const source =
      orderId === undefined
        ? orders.recentOf(who.id, 20).find((o) => REORDERABLE.has(o.state) && o.lines.length > 0)
        : owned(identity, orderId).order;
    if (source === undefined) {
      throw new AppError(
        'order_not_found',
        'You have no earlier order to repeat. Search the menu and create a new order instead.',
      );
    }
    const index = menu.index();
    const kept: OrderLine[] = [];
    const dropped: string[] = [];
    for (const line of source.lines) {
      const trial = { ...source, lines: [line] };
      if (check(trial, index, false).length === 0) kept.push({ ...line, lineId: `l${kept.length + 1}` });
      else dropped.push(index.items.get(line.itemId)?.name ?? line.itemId);
    }
    if (kept.length === 0) {
      throw new AppError(
        'item_sold_out',
        `Nothing from order ${source.code} can be ordered right now (${dropped.join(', ')}).`,
      );
    }
    const repeat = repeatFulfillment(source, deliveryProblems);
    const order = insertCart(who, kept, { tip: source.tip, fulfillment: repeat.choice });
    return view(order, index, dropped, repeat.note);
  }
}
