import type { Weekday } from './catalog.js';
import type { OrderTotals, PricedLine, PricedOrder } from './pricing.js';
import type { ShopCalendar } from './shop-calendar.js';

/** What a discount takes off: a percent (up to three decimals) or an amount in minor units. */
export type DiscountValue =
  | { readonly kind: 'percent'; readonly percent: number }
  | { readonly kind: 'amount'; readonly amount: number };

/** Which lines an offer reaches: the whole order's items, or the items and categories named. */
export type OfferScope =
  | { readonly kind: 'order' }
  | {
      readonly kind: 'items';
      readonly itemIds: readonly string[];
      readonly categoryIds: readonly string[];
    };

/** A code the customer types. A batch of single-use codes is one `PromoCode` per code with `total: 1`. */
export interface PromoCode {
  readonly id: string;
  /** As the owner wrote it; matched without regard to case or surrounding spaces. */
  readonly code: string;
  readonly name: string;
  readonly value: DiscountValue;
  readonly scope: OfferScope;
  /**
   * Smallest item subtotal the code needs, in minor units (0 for none), compared with the items after
   * automatic offers and meal deals and before any code (prices as shown: tax included where it is).
   */
  readonly minimumSubtotal: number;
  /** First instant the code works (inclusive); undefined: from the start. */
  readonly validFrom?: Date | undefined;
  /** First instant the code no longer works (exclusive); undefined: no end. */
  readonly validUntil?: Date | undefined;
  /** Uses allowed in all and per customer; undefined: no limit. */
  readonly limits: { readonly total?: number | undefined; readonly perCustomer?: number | undefined };
  /** Stacking: by default a code is alone on an order and does not combine with meal deals. */
  readonly combinesWith: { readonly codes: boolean; readonly mealDeals: boolean };
}

/** A window of local shop time: `start` inclusive, `end` exclusive; an end at or before the start runs past midnight. */
export interface OfferWindow {
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
}

/** An offer that applies by itself when its conditions hold: happy hour, or "second one at X % off". */
export type AutomaticOffer =
  | {
      readonly kind: 'happy_hour';
      readonly id: string;
      readonly name: string;
      readonly percent: number;
      readonly scope: OfferScope;
      readonly windows: readonly OfferWindow[];
    }
  | {
      readonly kind: 'nth_unit';
      readonly id: string;
      readonly name: string;
      /** Every `nth` eligible unit (2: the second one) is `percent` off; the cheaper units get it. */
      readonly nth: number;
      readonly percent: number;
      readonly scope: OfferScope;
    };

/** One choice of a meal deal ("a side"): any unit of the items or categories named. */
export interface MealDealSlot {
  readonly name: string;
  readonly itemIds: readonly string[];
  readonly categoryIds: readonly string[];
}

/** A bundle: one unit per slot at a fixed price or a discount on the items; options keep their prices. */
export interface MealDeal {
  readonly id: string;
  readonly name: string;
  readonly slots: readonly MealDealSlot[];
  readonly price: { readonly kind: 'fixed'; readonly amount: number } | DiscountValue;
}

/** How often a code has been used, as the store counts it. */
export interface UsageCount {
  readonly total: number;
  readonly byCustomer: number;
}

/** What a full stamp card gives on the next order: one unit of an item free, or an amount off. */
export type StampReward =
  | { readonly kind: 'item'; readonly itemId: string }
  | { readonly kind: 'amount'; readonly amount: number };

/** Everything an order's offers are decided from; time and usage come from the caller. */
export interface OfferContext {
  readonly now: Date;
  readonly calendar: Pick<ShopCalendar, 'localParts'>;
  readonly automatic: readonly AutomaticOffer[];
  readonly mealDeals: readonly MealDeal[];
  /** The codes the shop knows (looked up by the caller, or all of them). */
  readonly promoCodes: readonly PromoCode[];
  /** What the customer typed, in order. */
  readonly codes: readonly string[];
  /** Uses so far by promo code id; a missing id has none. */
  readonly usage: ReadonlyMap<string, UsageCount>;
  /** A full stamp card's reward waiting for this customer, applied last, after the codes. */
  readonly stampReward?: { readonly reward: StampReward; readonly name: string } | undefined;
  /** For amounts in refusal messages; defaults to en-US. */
  readonly locale?: string | undefined;
}

/** Why a code did not apply, in words a model can pass on or act on. */
export type RefusalReason =
  | 'expired'
  | 'not_started'
  | 'minimum_not_met'
  | 'unknown'
  | 'not_applicable'
  | 'already_used'
  | 'does_not_stack';

export interface RefusedCode {
  /** The code as the customer typed it. */
  readonly code: string;
  readonly reason: RefusalReason;
  readonly message: string;
}

/** An amount taken off one line (by index into the priced order's lines). */
export interface LineDiscount {
  readonly lineIndex: number;
  readonly amount: number;
}

export interface AppliedOffer {
  readonly offerId: string;
  readonly kind: 'promo_code' | 'happy_hour' | 'nth_unit' | 'meal_deal' | 'stamp_card';
  readonly name: string;
  /** The code as the owner wrote it, for promo codes. */
  readonly code?: string | undefined;
  readonly amount: number;
  readonly lines: readonly LineDiscount[];
  /** Meal deals: each bundle's parts as line indexes, one per slot. */
  readonly bundles?: readonly (readonly number[])[] | undefined;
}

/** A priced line after offers: `discount` off `lineTotal` leaves `net`, which tax is worked out on. */
export interface DiscountedLine extends PricedLine {
  readonly discount: number;
  readonly net: number;
}

/** Totals after offers: `subtotal` is `itemsBase` less `discount`. */
export interface DiscountedTotals extends OrderTotals {
  readonly discount: number;
}

/** A priced order after offers: still a `PricedOrder`, with each discount shown and each refused code. */
export interface DiscountedOrder extends PricedOrder {
  readonly lines: readonly DiscountedLine[];
  readonly totals: DiscountedTotals;
  readonly applied: readonly AppliedOffer[];
  readonly refused: readonly RefusedCode[];
}
