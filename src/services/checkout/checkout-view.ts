import type { Violation } from '../../domain/app-error.js';
import type { CheckoutSessionRecord } from '../../domain/checkout.js';
import type { DiscountedOrder } from '../../domain/offer-types.js';
import { asDiscounted } from '../../domain/offers.js';
import type { Order } from '../../domain/order.js';
import type { Clock } from '../../platform/clock.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { OfferService } from '../offers/offer-service.js';
import type { OrderChecks } from '../orders/order-checks.js';
import { priceWithOffers } from '../orders/order-pricing.js';
import type { ShopService } from '../shop/shop-service.js';
import { deliveryOption, deliveryProblems } from './checkout-delivery.js';
import { orderLinesOf } from './checkout-lines.js';
import { checkoutOffers, sessionCustomer } from './checkout-offers.js';
import { optionIdOf, type PickupOffers } from './checkout-pickup.js';
import type { CheckoutStatus, CheckoutView } from './checkout-types.js';

/** What working a session out needs: the menu and rules, the orders, the pickup times offered now. */
export interface CheckoutViewDeps {
  readonly shop: ShopService;
  readonly menu: MenuCache;
  readonly clock: Clock;
  readonly ordersRepo: Pick<OrdersRepo, 'get' | 'wasCollected'>;
  readonly checks: Pick<OrderChecks, 'check'>;
  readonly pickups: PickupOffers;
  /** The shop's offers; without them, sessions are priced at menu prices and take no code. */
  readonly offers?: Pick<OfferService, 'contextFor'> | undefined;
}

/**
 * A rule's path in the order (`lines.1.itemId`, `lines.0.options`) as a path into the ACP session:
 * the item id carries the options, so both point at `line_items.N.id`.
 */
export function acpPath(path: string): string {
  const line = /^lines\.(\d+)(?:\.(\w+))?/.exec(path);
  if (line === null) return path === 'lines' ? 'line_items' : path;
  return `line_items.${line[1]}.${line[2] === 'quantity' ? 'quantity' : 'id'}`;
}

/** The session with its prices, problems, pickup and delivery options and status worked out as of now. */
export function checkoutView(deps: CheckoutViewDeps, session: CheckoutSessionRecord): CheckoutView {
  const settings = deps.shop.settings();
  const order = session.orderId === undefined ? undefined : deps.ordersRepo.get(session.orderId);
  const lines = orderLinesOf(session.draft.items);
  const fulfillment = session.draft.fulfillment ?? 'pickup';
  const offers = checkoutOffers(
    deps.offers,
    session.draft.discountCodes ?? [],
    sessionCustomer(session.id, session.draft),
  );
  // A placed order keeps the prices it was placed with; until then the session is priced as of now.
  const priced =
    order?.priced === undefined
      ? priceWithOffers(
          {
            lines,
            tip: { kind: 'none' },
            currency: session.draft.currency,
            fulfillment: { type: fulfillment },
          },
          deps.menu.index(),
          settings,
          offers.context,
        )
      : { ...asDiscounted(order.priced), refused: session.draft.placedRefusals ?? [] };
  const offered = deps.pickups.options();
  const selectedPickup = offered.find((o) => o.pickup === session.draft.pickup) ?? {
    id: optionIdOf(session.draft.pickup),
    readyBy: session.draft.pickup === 'asap' ? undefined : new Date(session.draft.pickup),
    pickup: session.draft.pickup,
  };
  const open = session.state === 'open' || order?.state === 'cart';
  const problems = open ? problemsOf(deps, session, lines, priced) : [];
  return {
    session,
    status: statusOf(deps.clock, session, order, problems),
    priced,
    offerTerms: offers.terms,
    problems,
    pickupOptions: offered,
    deliveryOption: deliveryOption(settings, offered.find((o) => o.pickup === 'asap')?.readyBy),
    fulfillment,
    selectedPickup,
    order,
    // Only a refund needs it: the trail is read for refunded orders alone.
    collected:
      order?.state === 'collected' || (order?.state === 'refunded' && deps.ordersRepo.wasCollected(order.id)),
  };
}

function problemsOf(
  deps: CheckoutViewDeps,
  session: CheckoutSessionRecord,
  lines: ReturnType<typeof orderLinesOf>,
  priced: DiscountedOrder,
): Violation[] {
  const pickup = deps.pickups.resolve(session.draft.pickup);
  const problems = deps.checks.check(
    { lines },
    deps.menu.index(),
    true,
    pickup.ok ? pickup.slotStart : undefined,
  );
  if (!pickup.ok) problems.push({ ...pickup.violation, path: 'selected_fulfillment_options.0.option_id' });
  if (session.draft.fulfillment === 'delivery') {
    problems.push(...deliveryProblems(session.draft, priced.totals.subtotal, deps.shop.settings()));
  }
  return problems.map((p) => ({ ...p, path: p.path === undefined ? undefined : acpPath(p.path) }));
}

function statusOf(
  clock: Clock,
  session: CheckoutSessionRecord,
  order: Order | undefined,
  problems: readonly Violation[],
): CheckoutStatus {
  if (session.state === 'canceled') return 'canceled';
  if (order !== undefined && order.state !== 'cart') {
    if (order.state === 'awaiting_confirmation') return 'pending_approval';
    if (order.state === 'canceled' || order.state === 'refunded') return 'canceled';
    if (order.state === 'expired') return 'expired';
    return 'completed';
  }
  if (clock.now().getTime() >= session.expiresAt.getTime()) return 'expired';
  return problems.length > 0 ? 'not_ready_for_payment' : 'ready_for_payment';
}
