import { AppError } from './app-error.js';
import { applyAutomaticOffers } from './automatic-offers.js';
import { matchMealDeals } from './meal-deals.js';
import { type OfferLine, offerLines } from './offer-lines.js';
import type {
  AppliedOffer,
  DiscountedLine,
  DiscountedOrder,
  DiscountedTotals,
  OfferContext,
} from './offer-types.js';
import {
  divideRounded,
  type PricedOrder,
  type PricingInput,
  priceOrder,
  serviceFee,
  taxBreakdown,
  tipAmount,
} from './pricing.js';
import { applyPromoCodes } from './promo-codes.js';
import { applyStampReward } from './stamp-card.js';

/** Adds every applied offer's line amounts into one discount per line. */
function discountsPerLine(count: number, applied: readonly AppliedOffer[]): number[] {
  const totals: number[] = Array.from({ length: count }, () => 0);
  for (const offer of applied) {
    for (const d of offer.lines) totals[d.lineIndex] = (totals[d.lineIndex] ?? 0) + d.amount;
  }
  return totals;
}

/**
 * Decides an order's offers, in this order: meal deals take their units, automatic offers (happy hour,
 * nth unit) the best one per line of what is left, then the typed codes from what the lines still cost,
 * then a full stamp card's reward from what is left after all of them.
 */
export function decideOffers(
  input: PricingInput,
  priced: PricedOrder,
  ctx: OfferContext,
): Pick<DiscountedOrder, 'applied' | 'refused'> {
  const lines = offerLines(input.lines, priced.lines);
  const deals = matchMealDeals(ctx.mealDeals, lines);
  const local = ctx.calendar.localParts(ctx.now);
  const automatic = applyAutomaticOffers(ctx.automatic, lines, deals.unitsInDeals, local);
  const before = discountsPerLine(lines.length, [...deals.applied, ...automatic]);
  const codes = applyPromoCodes(ctx, {
    currency: priced.currency,
    lines,
    remaining: lines.map((line) => line.lineTotal - (before[line.index] ?? 0)),
    withMealDeal: deals.applied.length > 0,
  });
  const applied = [...deals.applied, ...automatic, ...codes.applied];
  const reward = stampRewardOf(ctx, lines, applied);
  return { applied: reward === undefined ? applied : [...applied, reward], refused: codes.refused };
}

/** The waiting stamp-card reward, from what the lines cost after every other offer. */
function stampRewardOf(ctx: OfferContext, lines: readonly OfferLine[], applied: readonly AppliedOffer[]) {
  if (ctx.stampReward === undefined) return undefined;
  const taken = discountsPerLine(lines.length, applied);
  const remaining = lines.map((line) => line.lineTotal - (taken[line.index] ?? 0));
  return applyStampReward(ctx.stampReward.reward, ctx.stampReward.name, lines, remaining);
}

/** The order's totals worked out again from the discounted lines. */
function totalsAfter(
  priced: PricedOrder,
  lines: readonly DiscountedLine[],
  input: PricingInput,
): DiscountedTotals {
  const { itemsBase, delivery } = priced.totals;
  const discount = lines.reduce((sum, line) => sum + line.discount, 0);
  const subtotal = itemsBase - discount;
  const breakdown = taxBreakdown(
    lines.map((line) => ({ taxRateId: line.taxRateId, lineTotal: line.net })),
    input.tax,
  );
  const tax = breakdown.reduce((sum, group) => sum + group.amount, 0);
  const fee = serviceFee(subtotal, input.fees);
  const tip = tipAmount(subtotal, input.tip, input.fees);
  const total = subtotal + (input.tax.inclusive ? 0 : tax) + fee + tip + (delivery ?? 0);
  return { ...priced.totals, subtotal, discount, tax, taxBreakdown: breakdown, fee, tip, total };
}

/**
 * Prices an order with its offers: each line's discount comes off before tax (the discounted amount is
 * what is sold, so sales tax is added on it and included VAT is taken out of it), then the service fee
 * and a percent tip are worked out on the discounted items. With no offer that applies, every amount
 * equals `priceOrder`'s and `discount` is 0.
 */
export function priceOrderWithOffers(
  input: PricingInput,
  ctx: OfferContext,
  priced: PricedOrder = priceOrder(input),
): DiscountedOrder {
  const { applied, refused } = decideOffers(input, priced, ctx);
  const perLine = discountsPerLine(priced.lines.length, applied);
  const lines: DiscountedLine[] = priced.lines.map((line, i) => {
    const discount = perLine[i] ?? 0;
    if (discount < 0 || discount > line.lineTotal) {
      throw new AppError('internal', `Offers took ${discount} off line "${line.name}" of ${line.lineTotal}.`);
    }
    return { ...line, discount, net: line.lineTotal - discount };
  });
  return { currency: priced.currency, lines, totals: totalsAfter(priced, lines, input), applied, refused };
}

/**
 * What refunding one line gives back: what the customer paid for it, its discounted amount plus, where
 * tax was added, its share of its rate group's tax (in proportion, rounded half away from zero). The
 * service fee, tip and delivery are the order's, refunded with the whole order.
 */
export function lineRefundable(order: DiscountedOrder, lineIndex: number): number {
  const line = order.lines[lineIndex];
  if (line === undefined) throw new AppError('invalid_input', `The order has no line ${lineIndex}.`);
  if (order.totals.taxIncluded || line.net === 0) return line.net;
  const groupBase = order.lines
    .filter((other) => other.taxRateId === line.taxRateId)
    .reduce((sum, other) => sum + other.net, 0);
  const groupTax = order.totals.taxBreakdown.find((t) => t.rateId === line.taxRateId)?.amount ?? 0;
  return line.net + divideRounded(groupTax * line.net, groupBase);
}

/**
 * A priced order as a `DiscountedOrder`: one priced with offers is returned as it is; one priced without
 * (before offers existed, or by a path that has none) shows a zero discount on every line.
 */
export function asDiscounted(priced: PricedOrder | DiscountedOrder): DiscountedOrder {
  if ('applied' in priced) return priced;
  return {
    currency: priced.currency,
    lines: priced.lines.map((line) => ({ ...line, discount: 0, net: line.lineTotal })),
    totals: { ...priced.totals, discount: 0 },
    applied: [],
    refused: [],
  };
}
