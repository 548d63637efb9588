import type { CheckoutDraft } from '../domain/checkout.js';
import type { AppliedOffer, DiscountedOrder, RefusalReason } from '../domain/offer-types.js';
import { normalizeCode } from '../domain/promo-codes.js';
import type { OfferTerms } from '../services/checkout/checkout-types.js';

/** The discount extension's reason codes (`DiscountErrorCode`, discount extension RFC §7.1). */
type DiscountErrorCode =
  | 'discount_code_expired'
  | 'discount_code_invalid'
  | 'discount_code_already_applied'
  | 'discount_code_combination_disallowed'
  | 'discount_code_minimum_not_met'
  | 'discount_code_usage_limit_reached';

/**
 * Our refusals in the extension's words. A code not started yet is not a code that works (`invalid`,
 * its message says from when); a code for items the session does not hold misses what it asks to be
 * bought (`minimum_not_met`); a total or per-customer limit used up is `usage_limit_reached`.
 */
const REASONS: Record<RefusalReason, DiscountErrorCode> = {
  unknown: 'discount_code_invalid',
  not_started: 'discount_code_invalid',
  expired: 'discount_code_expired',
  minimum_not_met: 'discount_code_minimum_not_met',
  not_applicable: 'discount_code_minimum_not_met',
  already_used: 'discount_code_usage_limit_reached',
  does_not_stack: 'discount_code_combination_disallowed',
};

interface Rejection {
  readonly code: string;
  /** Where the code is in `discounts.codes`. */
  readonly index: number;
  readonly reason: DiscountErrorCode;
  readonly message: string;
}

/** The codes submitted (`discounts.codes`, or the deprecated `coupons`), as the agent sent them. */
function submitted(draft: CheckoutDraft): readonly string[] {
  return draft.discountCodes ?? [];
}

/**
 * Each submitted code that did not apply, with the reason pricing gave. A code sent twice counts once:
 * the repeat is `already_applied` when the first one applied, else refused as the first one was.
 */
function rejections(draft: CheckoutDraft, priced: DiscountedOrder): Rejection[] {
  const applied = new Set(
    priced.applied.flatMap((a) => (a.code === undefined ? [] : [normalizeCode(a.code)])),
  );
  const seen = new Set<string>();
  return submitted(draft).flatMap((code, index) => {
    const key = normalizeCode(code);
    const repeat = seen.has(key);
    seen.add(key);
    if (repeat && applied.has(key)) {
      const message = `Code ${code} is already applied to this checkout; it counts once.`;
      return [{ code, index, reason: 'discount_code_already_applied' as const, message }];
    }
    const refused = priced.refused.find((r) => normalizeCode(r.code) === key);
    return refused === undefined
      ? []
      : [{ code, index, reason: REASONS[refused.reason], message: refused.message }];
  });
}

/**
 * Whether a session carries `discounts` (and so declares the extension): the agent listed `discount`
 * among its extensions or sent codes, or an offer took something off. An agent that does neither and
 * gets no discount sees the core session only (discount extension RFC §10.2).
 */
export function discountsShown(draft: CheckoutDraft, priced: DiscountedOrder): boolean {
  const extensions = draft.agentCapabilities.extensions;
  const declared = Array.isArray(extensions) && extensions.includes('discount');
  return declared || draft.discountCodes !== undefined || priced.applied.length > 0;
}

/** The coupon terms of an applied offer (`Coupon`, RFC §4.3): percent or amount off, or a bundle's price. */
function coupon(offer: AppliedOffer, terms: OfferTerms | undefined, currency: string) {
  const metadata: Record<string, string> = { kind: offer.kind };
  const value =
    terms === undefined
      ? {}
      : terms.kind === 'percent'
        ? { percent_off: terms.percent }
        : terms.kind === 'amount'
          ? { amount_off: terms.amount, currency: currency.toLowerCase() }
          : {};
  if (terms?.kind === 'fixed') metadata.bundle_price = String(terms.amount);
  return { id: offer.offerId, name: offer.name, ...value, metadata };
}

/** What a session's line items are, by the index of each priced line (an item off the menu is not priced). */
export type LineIndex = (pricedIndex: number) => number;

/**
 * The session's `discounts` (RFC §4.1): the codes echoed, every offer applied (codes and automatic
 * ones, in the order pricing takes them: meal deals, automatic offers, codes) with where each landed,
 * and each code refused with the extension's reason.
 */
export function presentDiscounts(
  draft: CheckoutDraft,
  priced: DiscountedOrder,
  terms: ReadonlyMap<string, OfferTerms>,
  lineIndex: LineIndex,
) {
  if (!discountsShown(draft, priced)) return {};
  const typed = (code: string | undefined) =>
    submitted(draft).find((c) => code !== undefined && normalizeCode(c) === normalizeCode(code)) ?? code;
  const applied = priced.applied.map((offer, k) => {
    const offerTerms = terms.get(offer.offerId);
    const code = offer.kind === 'promo_code' ? typed(offer.code) : undefined;
    return {
      id: `di_${offer.kind}_${offer.offerId}`,
      ...(code === undefined ? {} : { code }),
      coupon: coupon(offer, offerTerms, priced.currency),
      amount: offer.amount,
      automatic: offer.kind !== 'promo_code',
      // A percent is taken on each line; an amount or a bundle's saving is split over its lines.
      method: offerTerms?.kind === 'percent' ? 'each' : 'across',
      priority: k + 1,
      allocations: offer.lines.map((d) => ({
        path: `$.line_items[${lineIndex(d.lineIndex)}]`,
        amount: d.amount,
      })),
    };
  });
  const rejected = rejections(draft, priced).map(({ code, reason, message }) => ({ code, reason, message }));
  return { discounts: { codes: [...submitted(draft)], applied, rejected } };
}

/**
 * The refused codes as `messages[]` warnings: RFC §7 says merchants SHOULD surface them there too, and
 * §7.2 that what changes the total the buyer expects is a `warning`. A warning blocks nothing.
 */
export function discountMessages(draft: CheckoutDraft, priced: DiscountedOrder) {
  return rejections(draft, priced).map((r) => ({
    type: 'warning',
    code: r.reason,
    resolution: 'recoverable',
    param: `$.discounts.codes[${r.index}]`,
    content_type: 'plain',
    content: r.message,
  }));
}

/** The ACP `DiscountDetail` kind of an offer's discount on a line. */
function detailType(offer: AppliedOffer, terms: OfferTerms | undefined): string {
  if (offer.kind === 'nth_unit') return 'bogo';
  return terms?.kind === 'percent' ? 'percentage' : 'fixed';
}

/** A line's `discount_details`: each offer that took something off it. */
export function lineDiscountDetails(
  priced: DiscountedOrder,
  pricedIndex: number,
  terms: ReadonlyMap<string, OfferTerms>,
) {
  return priced.applied.flatMap((offer) => {
    const amount = offer.lines.find((d) => d.lineIndex === pricedIndex)?.amount ?? 0;
    if (amount === 0) return [];
    return [
      {
        ...(offer.code === undefined ? {} : { code: offer.code }),
        type: detailType(offer, terms.get(offer.offerId)),
        amount,
        description: offer.name,
        source: offer.kind === 'promo_code' ? 'coupon' : 'automatic',
      },
    ];
  });
}
