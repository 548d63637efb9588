import { z } from 'zod';
import { WEEKDAYS } from '../domain/catalog.js';
import type { AutomaticOffer, MealDeal, PromoCode } from '../domain/offer-types.js';

/** A promo-code offer as the owner made it: every code of it (one, or a batch) shares its rules. */
export type PromoOffer = Omit<PromoCode, 'code'>;

/** An offer as stored, with the domain rule it prices by. */
export type StoredOffer =
  | { readonly kind: 'meal_deal'; readonly offer: MealDeal }
  | { readonly kind: 'automatic'; readonly offer: AutomaticOffer }
  | { readonly kind: 'promo_code'; readonly offer: PromoOffer };

const value = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('percent'), percent: z.number().min(0).max(100) }),
  z.object({ kind: z.literal('amount'), amount: z.number().int().min(0) }),
]);
const scope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('order') }),
  z.object({ kind: z.literal('items'), itemIds: z.array(z.string()), categoryIds: z.array(z.string()) }),
]);
const window = z.object({ days: z.array(z.enum(WEEKDAYS)), start: z.string(), end: z.string() });
const slot = z.object({ name: z.string(), itemIds: z.array(z.string()), categoryIds: z.array(z.string()) });

const mealDealRule = z.object({
  slots: z.array(slot),
  price: z.union([z.object({ kind: z.literal('fixed'), amount: z.number().int().min(0) }), value]),
});
const automaticRule = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('happy_hour'),
    percent: z.number().min(0).max(100),
    scope,
    windows: z.array(window),
  }),
  z.object({
    kind: z.literal('nth_unit'),
    nth: z.number().int().min(2),
    percent: z.number().min(0).max(100),
    scope,
  }),
]);
const promoRule = z.object({
  value,
  scope,
  minimumSubtotal: z.number().int().min(0),
  validFrom: z.number().int().optional(),
  validUntil: z.number().int().optional(),
  limits: z.object({
    total: z.number().int().min(1).optional(),
    perCustomer: z.number().int().min(1).optional(),
  }),
  combinesWith: z.object({ codes: z.boolean(), mealDeals: z.boolean() }),
});

/** The rule column's JSON for an offer: the domain rule without id and name, instants in epoch ms. */
export function ruleJson(stored: StoredOffer): string {
  const { id: _id, name: _name, ...rule } = stored.offer;
  if (stored.kind !== 'promo_code') return JSON.stringify(rule);
  const promo = stored.offer;
  return JSON.stringify({
    ...rule,
    validFrom: promo.validFrom?.getTime(),
    validUntil: promo.validUntil?.getTime(),
  });
}

/** Reads a stored rule back (JSON from disk is checked like any input). */
export function storedOffer(row: { id: string; kind: string; name: string; rule: string }): StoredOffer {
  const json: unknown = JSON.parse(row.rule);
  const base = { id: row.id, name: row.name };
  if (row.kind === 'meal_deal') return { kind: 'meal_deal', offer: { ...base, ...mealDealRule.parse(json) } };
  if (row.kind === 'promo_code') {
    const { validFrom, validUntil, ...rule } = promoRule.parse(json);
    return {
      kind: 'promo_code',
      offer: {
        ...base,
        ...rule,
        validFrom: validFrom === undefined ? undefined : new Date(validFrom),
        validUntil: validUntil === undefined ? undefined : new Date(validUntil),
      },
    };
  }
  return {
    kind: 'automatic',
    offer: { ...base, ...automaticRule.parse({ ...(json as object), kind: row.kind }) },
  };
}

/** The kind column of a stored offer. */
export function kindOf(stored: StoredOffer): string {
  return stored.kind === 'automatic' ? stored.offer.kind : stored.kind;
}
