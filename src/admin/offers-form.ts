import { WEEKDAYS, type Weekday } from '../domain/catalog.js';
import { toDecimalString } from '../domain/money.js';
import type { OfferScope } from '../domain/offer-types.js';
import type { OfferRule } from '../services/offers/offer-admin.js';
import type { PostedForm } from './form-read.js';

/** The offer kinds the owner makes, one form each. */
export const OFFER_KINDS = ['meal_deal', 'promo_code', 'happy_hour', 'nth_unit'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/** Slots a meal deal form offers (a deal uses the ones with a name). */
export const SLOT_ROWS = 4;

/** An offer's form as text, to fill it in and to show it again, as typed, after a mistake. */
export interface OfferFormValues {
  readonly kind: OfferKind;
  readonly name: string;
  /** Meal deal: each slot's name and what fills it (`item:<id>` or `cat:<id>`). */
  readonly slots: readonly { readonly name: string; readonly targets: readonly string[] }[];
  readonly priceKind: string;
  readonly priceValue: string;
  /** Promo code: the code typed by hand (new offers only; a batch can follow). */
  readonly code: string;
  readonly valueKind: string;
  readonly value: string;
  /** Promo code and automatic offers: what the offer reaches; none ticked is the whole order. */
  readonly scope: readonly string[];
  readonly minimum: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly totalLimit: string;
  readonly perCustomer: string;
  readonly withCodes: boolean;
  readonly withDeals: boolean;
  /** Automatic offers. */
  readonly percent: string;
  readonly nth: string;
  readonly days: readonly string[];
  readonly start: string;
  readonly end: string;
}

/** How dates and money are written on the form. */
export interface FormShop {
  readonly currency: string;
  /** A local date ("YYYY-MM-DD") of an instant, in shop time. */
  readonly localDate: (instant: Date) => string;
}

const money = (amount: number, shop: FormShop) => toDecimalString(amount, shop.currency);
const targetsOf = (scope: { itemIds: readonly string[]; categoryIds: readonly string[] }) => [
  ...scope.categoryIds.map((id) => `cat:${id}`),
  ...scope.itemIds.map((id) => `item:${id}`),
];
const scopeTargets = (scope: OfferScope) => (scope.kind === 'order' ? [] : targetsOf(scope));

const EMPTY: Omit<OfferFormValues, 'kind'> = {
  name: '',
  slots: Array.from({ length: SLOT_ROWS }, () => ({ name: '', targets: [] })),
  priceKind: 'fixed',
  priceValue: '',
  code: '',
  valueKind: 'percent',
  value: '',
  scope: [],
  minimum: '',
  validFrom: '',
  validUntil: '',
  totalLimit: '',
  perCustomer: '',
  withCodes: false,
  withDeals: false,
  percent: '',
  nth: '2',
  days: [],
  start: '',
  end: '',
};

/** A blank form of a kind. */
export function blankOfferValues(kind: OfferKind): OfferFormValues {
  return { kind, ...EMPTY };
}

/** The form filled in from a stored offer. */
export function offerFormValues(stored: OfferRule, shop: FormShop): OfferFormValues {
  const o = stored.offer;
  if (stored.kind === 'meal_deal') {
    const slots = Array.from({ length: SLOT_ROWS }, (_, i) => {
      const slot = stored.offer.slots[i];
      return slot === undefined ? { name: '', targets: [] } : { name: slot.name, targets: targetsOf(slot) };
    });
    const price = stored.offer.price;
    const priceValue = price.kind === 'percent' ? String(price.percent) : money(price.amount, shop);
    return { ...EMPTY, kind: 'meal_deal', name: o.name, slots, priceKind: price.kind, priceValue };
  }
  if (stored.kind === 'promo_code') {
    const p = stored.offer;
    const until = p.validUntil === undefined ? '' : shop.localDate(new Date(p.validUntil.getTime() - 1));
    return {
      ...EMPTY,
      kind: 'promo_code',
      name: p.name,
      valueKind: p.value.kind,
      value: p.value.kind === 'percent' ? String(p.value.percent) : money(p.value.amount, shop),
      scope: scopeTargets(p.scope),
      minimum: p.minimumSubtotal === 0 ? '' : money(p.minimumSubtotal, shop),
      validFrom: p.validFrom === undefined ? '' : shop.localDate(p.validFrom),
      validUntil: until,
      totalLimit: p.limits.total === undefined ? '' : String(p.limits.total),
      perCustomer: p.limits.perCustomer === undefined ? '' : String(p.limits.perCustomer),
      withCodes: p.combinesWith.codes,
      withDeals: p.combinesWith.mealDeals,
    };
  }
  const a = stored.offer;
  const base = {
    ...EMPTY,
    kind: a.kind,
    name: a.name,
    percent: String(a.percent),
    scope: scopeTargets(a.scope),
  };
  if (a.kind === 'nth_unit') return { ...base, nth: String(a.nth) };
  const w = a.windows[0];
  return { ...base, days: w?.days ?? [], start: w?.start ?? '', end: w?.end ?? '' };
}

/** The posted form of an offer of `kind`. */
export function postedOfferValues(form: PostedForm, kind: OfferKind): OfferFormValues {
  return {
    kind,
    name: form.text('name'),
    slots: Array.from({ length: SLOT_ROWS }, (_, i) => ({
      name: form.text(`slot_name_${i + 1}`),
      targets: form.all(`slot_${i + 1}`),
    })),
    priceKind: form.text('price_kind'),
    priceValue: form.text('price_value'),
    code: form.text('code'),
    valueKind: form.text('value_kind'),
    value: form.text('value'),
    scope: form.all('scope'),
    minimum: form.text('minimum'),
    validFrom: form.text('valid_from'),
    validUntil: form.text('valid_until'),
    totalLimit: form.text('total_limit'),
    perCustomer: form.text('per_customer'),
    withCodes: form.checked('with_codes'),
    withDeals: form.checked('with_deals'),
    percent: form.text('percent'),
    nth: form.text('nth'),
    days: form.all('days').filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d)),
    start: form.text('start'),
    end: form.text('end'),
  };
}
