import type { OfferScope } from './offer-types.js';
import { divideRounded, type PricedLine, type PricingLine, toMilliPercent } from './pricing.js';

/** A priced line as offers see it: what it costs, what is left of it, and its units taken by meal deals. */
export interface OfferLine {
  readonly index: number;
  readonly itemId: string;
  readonly categoryId: string;
  readonly quantity: number;
  /** The item's own price per unit, options left out (meal deals replace it; options stay). */
  readonly basePrice: number;
  readonly unitPrice: number;
  readonly lineTotal: number;
}

/** Pairs the pricing input with its priced lines (same order) into the lines offers work on. */
export function offerLines(input: readonly PricingLine[], priced: readonly PricedLine[]): OfferLine[] {
  return priced.map((line, index) => ({
    index,
    itemId: line.itemId,
    categoryId: input[index]?.item.categoryId ?? '',
    quantity: line.quantity,
    basePrice: line.unitPrice - line.options.reduce((sum, option) => sum + option.price, 0),
    unitPrice: line.unitPrice,
    lineTotal: line.lineTotal,
  }));
}

/** True when an offer's scope reaches this line. */
export function inScope(scope: OfferScope, line: Pick<OfferLine, 'itemId' | 'categoryId'>): boolean {
  if (scope.kind === 'order') return true;
  return scope.itemIds.includes(line.itemId) || scope.categoryIds.includes(line.categoryId);
}

/**
 * `percent` of an amount, rounded half away from zero on each line like every amount in pricing.ts
 * (the order's discount is the sum of the lines'); never below zero or above the amount.
 */
export function percentOff(amount: number, percent: number): number {
  const off = divideRounded(amount * toMilliPercent(percent), 100_000);
  return Math.min(amount, Math.max(0, off));
}

/**
 * Splits `amount` over `weights` in proportion, in whole minor units that add up to `amount` exactly:
 * each share is floored, then the units left go to the largest remainders (the earlier line on a tie).
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || amount <= 0) return weights.map(() => 0);
  const shares = weights.map((w) => Math.floor((amount * w) / sum));
  const remainders = weights.map((w, i) => ({ i, r: (amount * w) % sum }));
  let left = amount - shares.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of remainders) {
    if (left === 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}
