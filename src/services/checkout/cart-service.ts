import { AppError, type ErrorCode, type Violation } from '../../domain/app-error.js';
import type { CartRecord } from '../../domain/cart.js';
import type { DiscountedOrder } from '../../domain/offer-types.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { CartRepo } from '../../store/cart-repo.js';
import type { Store } from '../../store/database.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { OfferService } from '../offers/offer-service.js';
import type { OrderGate } from '../operations/order-gate.js';
import { createOrderChecks } from '../orders/order-checks.js';
import { priceWithOffers } from '../orders/order-pricing.js';
import type { ShopService } from '../shop/shop-service.js';
import { checkoutItems, orderLinesOf, type RequestedItem } from './checkout-lines.js';
import { checkoutOffers } from './checkout-offers.js';
import type { OfferTerms } from './checkout-types.js';
import { acpPath } from './checkout-view.js';

/** A cart is kept for a day after its last change; every change starts the day again (ACP cart §4.4). */
export const CART_TTL_MS = 24 * 60 * 60 * 1000;

/** A cart priced and checked against the menu as of now. */
export interface CartView {
  readonly cart: CartRecord;
  /**
   * Estimates: today's prices, offers, tax and fees of the lines that can be had (not those in
   * `leftOut`); the checkout session's amounts are the authoritative ones.
   */
  readonly priced: DiscountedOrder;
  /** Every line whose item is on the menu, priced as if it could be had: what each line would cost. */
  readonly linePrices: DiscountedOrder;
  /** What each applied offer takes, by the offer id the prices name. */
  readonly offerTerms: ReadonlyMap<string, OfferTerms>;
  /** The lines (by index) left out of the estimate: their item or an option is sold out or off the menu. */
  readonly leftOut: ReadonlySet<number>;
  /** What would stop these items being ordered (sold out, options), with paths into the cart (`line_items.1.id`). */
  readonly problems: readonly Violation[];
}

/** What the agent sends on create and on update: the whole cart. */
export interface CartContents {
  readonly items: readonly RequestedItem[];
  readonly buyer: Readonly<Record<string, unknown>> | undefined;
}

/** ACP carts: baskets of menu items with estimated totals, before a checkout session. */
export interface CartService {
  create(apiKeyId: string, contents: CartContents): CartView;
  get(apiKeyId: string, id: string): CartView;
  /** Full replacement (ACP cart §4.4): the items and the buyer become `contents`; an omitted buyer is removed. */
  replace(apiKeyId: string, id: string, contents: CartContents): CartView;
  /** Deletes the cart and answers its last state (ACP cart §4.5). */
  cancel(apiKeyId: string, id: string): CartView;
  /** The cart for whoever holds its unguessable id (its `continue_url` page); undefined once it is gone. */
  shared(id: string): CartView | undefined;
}

export interface CartServiceDeps {
  readonly store: Store;
  readonly carts: CartRepo;
  readonly shop: ShopService;
  readonly menu: MenuCache;
  readonly ordersRepo: Pick<OrdersRepo, 'slotUsage'>;
  readonly clock: Clock;
  readonly ids: Ids;
  /** Refuses new carts while the clock is behind or the disk short of space (src/services/operations/order-gate.ts). */
  readonly gate?: Pick<OrderGate, 'assertCanStart'>;
  /**
   * The shop's offers: a cart is estimated with its automatic offers and meal deals (the cart request has
   * no discount codes, ACP cart §3).
   */
  readonly offers?: Pick<OfferService, 'contextFor'>;
}

const SOLD_OUT = new Set<ErrorCode>(['item_sold_out', 'option_sold_out']);
/** Checkout's availability rules (src/domain/order-rules.ts): a line breaking one cannot be had now. */
const UNAVAILABLE = new Set<ErrorCode>([...SOLD_OUT, 'item_not_found']);

/** The lines (by index) a problem among `problems` makes unavailable; paths are `line_items.N.…`. */
function unavailableLines(problems: readonly Violation[]): Set<number> {
  const lines = problems
    .filter((p) => UNAVAILABLE.has(p.code))
    .flatMap((p) => /^line_items\.(\d+)\./.exec(p.path ?? '')?.[1] ?? [])
    .map(Number);
  return new Set(lines);
}

/** Creates the cart service over the same menu, pricing and order checks as checkout sessions. */
export function createCartService(deps: CartServiceDeps): CartService {
  const { store, carts, shop, menu, clock, ids } = deps;
  const checks = createOrderChecks({ shop, menu, clock, orders: deps.ordersRepo });

  function live(id: string): CartRecord | undefined {
    const cart = carts.get(id);
    return cart === undefined || clock.now() >= cart.expiresAt ? undefined : cart;
  }

  function owned(apiKeyId: string, id: string): CartRecord {
    const cart = live(id);
    if (cart === undefined || cart.apiKeyId !== apiKeyId) {
      throw new AppError(
        'not_found',
        `There is no cart ${id.slice(0, 80)}; it may have expired or been canceled.`,
      );
    }
    return cart;
  }

  /**
   * The cart priced and checked as of now. A line that cannot be had is left out of the estimate (its
   * problem says why) and counts again as soon as its item is back.
   */
  function view(cart: CartRecord): CartView {
    const index = menu.index();
    const settings = shop.settings();
    const lines = orderLinesOf(cart.items);
    const offers = checkoutOffers(deps.offers, [], { subject: `acp-cart:${cart.id}` });
    const price = (some: typeof lines) =>
      priceWithOffers(
        { lines: some, tip: { kind: 'none' }, currency: settings.profile.currency },
        index,
        settings,
        offers.context,
      );
    // A basket is not an order yet: the items' own rules apply, not the hours or a pickup slot.
    const problems = checks
      .check({ lines }, index, false)
      .map((p) => ({ ...p, path: p.path === undefined ? undefined : acpPath(p.path) }));
    const leftOut = unavailableLines(problems);
    const linePrices = price(lines);
    const priced = leftOut.size === 0 ? linePrices : price(lines.filter((_, i) => !leftOut.has(i)));
    return { cart, priced, linePrices, leftOut, problems, offerTerms: offers.terms };
  }

  /**
   * The cart holding `contents` from now on. Sold-out lines stay, each with its problem; when no line
   * can be had at all the request is refused with `item_sold_out` (ACP cart §4.2, §4.4).
   */
  function filled(cart: CartRecord, contents: CartContents): CartView {
    const now = clock.now();
    const next = view({
      ...cart,
      items: checkoutItems(contents.items, menu.index()),
      buyer: contents.buyer,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + CART_TTL_MS),
    });
    const soldOut = next.problems.filter((p) => SOLD_OUT.has(p.code));
    if (soldOut.length > 0 && next.leftOut.size === next.cart.items.length) {
      const [first] = soldOut;
      const why = soldOut.map((p) => p.message).join(' ');
      const hint = first?.suggestion === undefined ? '' : ` ${first.suggestion}`;
      throw new AppError('item_sold_out', `Nothing in this cart can be had right now: ${why}${hint}`, {
        violations: soldOut,
      });
    }
    return next;
  }

  return {
    create(apiKeyId, contents) {
      deps.gate?.assertCanStart();
      const now = clock.now();
      const created = filled(
        {
          id: ids.next('cart'),
          apiKeyId,
          items: [],
          buyer: undefined,
          createdAt: now,
          updatedAt: now,
          expiresAt: now,
        },
        contents,
      );
      store.transaction(() => {
        carts.deleteExpired(now.getTime());
        carts.insert(created.cart);
      });
      return created;
    },
    get: (apiKeyId, id) => view(owned(apiKeyId, id)),
    shared(id) {
      const cart = live(id);
      return cart === undefined ? undefined : view(cart);
    },
    replace(apiKeyId, id, contents) {
      return store.transaction(() => {
        const replaced = filled(owned(apiKeyId, id), contents);
        carts.update(replaced.cart);
        return replaced;
      });
    },
    cancel(apiKeyId, id) {
      return store.transaction(() => {
        const last = view(owned(apiKeyId, id));
        carts.delete(id);
        return last;
      });
    },
  };
}
