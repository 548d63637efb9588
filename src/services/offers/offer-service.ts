import { AppError } from '../../domain/app-error.js';
import { inOfferWindow } from '../../domain/automatic-offers.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import type {
  AutomaticOffer,
  DiscountedOrder,
  MealDeal,
  OfferContext,
  PromoCode,
} from '../../domain/offer-types.js';
import type { Order } from '../../domain/order.js';
import { normalizeCode } from '../../domain/promo-codes.js';
import type { Clock } from '../../platform/clock.js';
import type { StoredOffer } from '../../store/offer-rules.js';
import type { OffersRepo } from '../../store/offers-repo.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { OrderEvents } from '../orders/order-events.js';
import type { LineInput } from '../orders/order-types.js';
import type { ShopService } from '../shop/shop-service.js';
import { expandMealDeal } from './meal-deal-lines.js';
import type { StampCardService } from './stamp-card-service.js';

/** The offers that hold now, for the shop's info and the menu. */
export interface CurrentOffers {
  readonly mealDeals: readonly MealDeal[];
  /** Automatic offers with whether they apply at this moment (a happy hour outside its hours does not). */
  readonly automatic: readonly { readonly offer: AutomaticOffer; readonly activeNow: boolean }[];
}

/**
 * Whose uses a code's per-customer limit counts: an order's customer, or the buyer of an ACP checkout
 * session whose order does not exist yet (its subject, `acp:<session>`), with the phone number given.
 */
export type CodeCustomer =
  | { readonly customerId: string; readonly phone?: string | undefined }
  | { readonly subject: string; readonly phone?: string | undefined };

/** The shop's offers as orders use them: priced with, held when placed, counted when paid. */
export interface OfferService {
  /** What an order (or an ACP session) of this customer with these codes is priced with, as of the clock's now. */
  contextFor(codes: readonly string[], customer: CodeCustomer): OfferContext;
  current(): CurrentOffers;
  /** Replaces each meal-deal line (its item id is a deal's id) by one line per chosen part. */
  expandDeals(lines: readonly LineInput[], menu: MenuIndex): LineInput[];
  /**
   * Holds each code the priced order applies; call it inside the placing transaction. A code whose last
   * use another order took first is refused (`promo_code_refused`) and the placing rolls back.
   */
  hold(order: Order, priced: DiscountedOrder): void;
}

export interface OfferServiceDeps {
  readonly offers: OffersRepo;
  readonly orders: Pick<OrdersRepo, 'subjectOf'>;
  readonly shop: Pick<ShopService, 'calendar' | 'settings'>;
  readonly clock: Clock;
  /** Holds become uses in the transaction that pays the order, and are let go when it will not be paid. */
  readonly orderEvents?: Pick<OrderEvents, 'on'>;
  /** The stamp card: its waiting reward is priced with the order and held when it is placed. */
  readonly stampCard?: Pick<StampCardService, 'rewardFor' | 'hold'>;
}

/** The customer of an ACP checkout's order (`acp:<session>`, see checkout-place.ts). */
const ACP_SUBJECT = 'acp:';
/** Whom an ACP buyer's per-customer code limits count: their phone number (E.164). */
const ACP_PHONE_SUBJECT = 'acp-phone:';

function byKind(stored: readonly StoredOffer[]) {
  const mealDeals: MealDeal[] = [];
  const automatic: AutomaticOffer[] = [];
  const promos = new Map<string, Omit<PromoCode, 'code'>>();
  for (const s of stored) {
    if (s.kind === 'meal_deal') mealDeals.push(s.offer);
    else if (s.kind === 'automatic') automatic.push(s.offer);
    else promos.set(s.offer.id, s.offer);
  }
  return { mealDeals, automatic, promos };
}

/** States in which an order's code hold has become a use. */
const AFTER_PAYMENT: ReadonlySet<string> = new Set(['paid', 'in_kitchen', 'ready', 'collected']);

/** Creates the offer service. */
export function createOfferService(deps: OfferServiceDeps): OfferService {
  const { offers, clock } = deps;

  /** The codes typed that exist and whose offer is not paused, as the domain prices them. */
  function promoCodes(codes: readonly string[], promos: ReturnType<typeof byKind>['promos']): PromoCode[] {
    return offers.codesByKeys(codes.map(normalizeCode)).flatMap((row) => {
      const offer = promos.get(row.offerId);
      if (offer === undefined) return [];
      const limits = row.singleUse ? { ...offer.limits, total: 1 } : offer.limits;
      return [{ ...offer, id: row.id, code: row.code, limits }];
    });
  }

  /**
   * The subject a code's uses count under. Each ACP checkout is a customer of its own (`acp:<session>`),
   * who is not signed in: their per-customer limits count by the phone number the order is placed with,
   * the one identity every ACP order carries (typed, not verified, like a sign-in's phone).
   */
  function limitSubject(customer: CodeCustomer): string {
    const subject =
      'subject' in customer
        ? customer.subject
        : (deps.orders.subjectOf(customer.customerId) ?? customer.customerId);
    if (!subject.startsWith(ACP_SUBJECT) || customer.phone === undefined) return subject;
    return `${ACP_PHONE_SUBJECT}${customer.phone}`;
  }

  deps.orderEvents?.on((order, from) => {
    if (order.state === 'paid') offers.settle(order.id);
    else if (from === 'awaiting_confirmation') offers.release(order.id);
    // All the money went back: the sale did not happen, so its code may be used again (a limited or
    // single-use code included), as the customer who was refunded would expect.
    else if (AFTER_PAYMENT.has(from) && (order.state === 'refunded' || order.state === 'canceled')) {
      offers.giveBack(order.id);
    }
  });

  return {
    contextFor(codes, customer) {
      const subject = limitSubject(customer);
      const kinds = byKind(offers.active());
      const known = codes.length === 0 ? [] : promoCodes(codes, kinds.promos);
      return {
        now: clock.now(),
        calendar: deps.shop.calendar(),
        automatic: kinds.automatic,
        mealDeals: kinds.mealDeals,
        promoCodes: known,
        codes,
        usage: offers.usage(
          known.map((p) => p.id),
          subject,
        ),
        locale: deps.shop.settings().profile.locale,
        stampReward: deps.stampCard?.rewardFor(subject),
      };
    },
    current() {
      const { mealDeals, automatic } = byKind(offers.active());
      const ctx = { now: clock.now(), calendar: deps.shop.calendar() };
      return {
        mealDeals,
        automatic: automatic.map((offer) => ({ offer, activeNow: activeNow(offer, ctx) })),
      };
    },
    expandDeals(lines, menu) {
      const deals = new Map(byKind(offers.active()).mealDeals.map((d) => [d.id, d]));
      return lines.flatMap((line) => {
        const deal = deals.get(line.itemId);
        return deal === undefined ? [line] : expandMealDeal(deal, line, menu);
      });
    },
    hold(order, priced) {
      // Stamps are a signed-in customer's own: counted under their sign-in's subject.
      deps.stampCard?.hold(order, priced, deps.orders.subjectOf(order.customerId) ?? order.customerId);
      const applied = priced.applied.filter((a) => a.kind === 'promo_code');
      if (applied.length === 0) return;
      const customer = { customerId: order.customerId, phone: order.customerPhone };
      const ctx = this.contextFor(order.promoCodes ?? [], customer);
      const subject = limitSubject(customer);
      for (const a of applied) {
        const promo = ctx.promoCodes.find((p) => p.id === a.offerId);
        if (promo === undefined) continue;
        const use = { codeId: promo.id, orderId: order.id, subject, atMs: clock.now().getTime() };
        const outcome = offers.claim(use, promo.limits);
        if (outcome === 'held') continue;
        const words =
          outcome === 'used_up'
            ? `Code ${promo.code} has just been used up (usage limit reached)`
            : `This customer has already used code ${promo.code} (usage limit reached)`;
        throw new AppError(
          'promo_code_refused',
          `${words}. Nothing was charged and the order was not placed: remove the code and place it again at the full price, if the customer agrees.`,
          { details: { code: promo.code, reason: 'already_used' } },
        );
      }
    },
  };
}

function activeNow(offer: AutomaticOffer, ctx: Pick<OfferContext, 'now' | 'calendar'>): boolean {
  if (offer.kind !== 'happy_hour') return true;
  const local = ctx.calendar.localParts(ctx.now);
  return offer.windows.some((w) => inOfferWindow(w, local));
}
