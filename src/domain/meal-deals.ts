import { allocate, inScope, type OfferLine, percentOff } from './offer-lines.js';
import type { AppliedOffer, MealDeal, MealDealSlot } from './offer-types.js';

/** The meal deals an order's lines make up, and how many units of each line they took. */
export interface MealDealMatch {
  readonly applied: readonly AppliedOffer[];
  /** Units of each line (by index) inside a bundle: no other automatic offer reaches them. */
  readonly unitsInDeals: readonly number[];
}

function fits(slot: MealDealSlot, line: OfferLine): boolean {
  return inScope({ kind: 'items', itemIds: slot.itemIds, categoryIds: slot.categoryIds }, line);
}

/**
 * One unit per slot, or undefined when a slot cannot be filled. A slot takes the unit fewest later
 * slots could use (so a burger is not spent on a "side or main" slot), then the dearest item, then
 * the earlier line: the customer gets the larger saving and the same order always gives the same bundles.
 */
function pickBundle(deal: MealDeal, lines: readonly OfferLine[], free: number[]): number[] | undefined {
  const taken = [...free];
  const picks: number[] = [];
  for (const [s, slot] of deal.slots.entries()) {
    const later = deal.slots.slice(s + 1);
    const candidates = lines
      .filter((line) => (taken[line.index] ?? 0) > 0 && fits(slot, line))
      .map((line) => ({ line, uses: later.filter((other) => fits(other, line)).length }))
      .sort((a, b) => a.uses - b.uses || b.line.basePrice - a.line.basePrice || a.line.index - b.line.index);
    const chosen = candidates[0]?.line;
    if (chosen === undefined) return undefined;
    taken[chosen.index] = (taken[chosen.index] ?? 0) - 1;
    picks.push(chosen.index);
  }
  return picks;
}

/** What a bundle of these item prices saves; a deal dearer than its parts saves nothing. */
function bundleSaving(deal: MealDeal, base: number): number {
  const price = deal.price;
  if (price.kind === 'fixed') return Math.max(0, base - price.amount);
  if (price.kind === 'percent') return percentOff(base, price.percent);
  return Math.min(price.amount, base);
}

function matchOne(deal: MealDeal, lines: readonly OfferLine[], free: number[]): AppliedOffer | undefined {
  const perLine = new Map<number, number>();
  const bundles: number[][] = [];
  for (;;) {
    if (deal.slots.length === 0) break;
    const picks = pickBundle(deal, lines, free);
    if (picks === undefined) break;
    const prices = picks.map((i) => lines[i]?.basePrice ?? 0);
    const saving = bundleSaving(
      deal,
      prices.reduce((a, b) => a + b, 0),
    );
    if (saving <= 0) break;
    // The saving comes off the parts' item prices in proportion; their options are charged as usual.
    allocate(saving, prices).forEach((share, k) => {
      const index = picks[k] ?? 0;
      perLine.set(index, (perLine.get(index) ?? 0) + share);
    });
    for (const index of picks) free[index] = (free[index] ?? 0) - 1;
    bundles.push(picks);
  }
  if (bundles.length === 0) return undefined;
  const discounts = [...perLine.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([lineIndex, amount]) => ({ lineIndex, amount }));
  return {
    offerId: deal.id,
    kind: 'meal_deal',
    name: deal.name,
    amount: discounts.reduce((sum, d) => sum + d.amount, 0),
    lines: discounts,
    bundles,
  };
}

/** Forms as many bundles of each deal as the lines allow, deals in the owner's order. */
export function matchMealDeals(deals: readonly MealDeal[], lines: readonly OfferLine[]): MealDealMatch {
  const free = lines.map((line) => line.quantity);
  const applied = deals.flatMap((deal) => matchOne(deal, lines, free) ?? []);
  return { applied, unitsInDeals: lines.map((line, i) => line.quantity - (free[i] ?? 0)) };
}
