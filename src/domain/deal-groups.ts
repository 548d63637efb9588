import type { AppliedOffer } from './offer-types.js';

/** A line shown by itself, or a meal deal's parts gathered under its name. */
export type LineGroup =
  | { readonly kind: 'line'; readonly index: number }
  | {
      readonly kind: 'deal';
      readonly name: string;
      /** How many of the deal the order holds. */
      readonly bundles: number;
      readonly indexes: readonly number[];
    };

/** The meal deal each priced line (by index) is a part of. */
export function dealOfLines(applied: readonly AppliedOffer[]): Map<number, AppliedOffer> {
  const dealOf = new Map<number, AppliedOffer>();
  for (const offer of applied) {
    for (const bundle of offer.bundles ?? []) for (const i of bundle) dealOf.set(i, offer);
  }
  return dealOf;
}

/**
 * Groups line indexes (all of an order's, or one station's) for showing: a meal deal's parts come
 * together under the deal at the place of its first part; every other line stays where it is.
 */
export function groupDealLines(indexes: readonly number[], applied: readonly AppliedOffer[]): LineGroup[] {
  const dealOf = dealOfLines(applied);
  const groups: LineGroup[] = [];
  const open = new Map<AppliedOffer, number[]>();
  for (const index of indexes) {
    const deal = dealOf.get(index);
    if (deal === undefined) {
      groups.push({ kind: 'line', index });
      continue;
    }
    const parts = open.get(deal);
    if (parts !== undefined) {
      parts.push(index);
      continue;
    }
    const fresh = [index];
    open.set(deal, fresh);
    groups.push({ kind: 'deal', name: deal.name, bundles: deal.bundles?.length ?? 0, indexes: fresh });
  }
  return groups;
}
