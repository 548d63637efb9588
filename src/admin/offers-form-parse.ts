import type { Weekday } from '../domain/catalog.js';
import { parseDecimalString } from '../domain/money.js';
import type { DiscountValue, MealDeal, OfferScope } from '../domain/offer-types.js';
import { addDays } from '../domain/shop-calendar.js';
import type { OfferRule } from '../services/offers/offer-admin.js';
import type { FieldErrors } from './form-fields.js';
import { decimalNumber, wholeNumber } from './form-read.js';
import type { OfferFormValues } from './offers-form.js';

/** What the form's ids are checked against, and how shop dates become instants. */
export interface ParseShop {
  readonly currency: string;
  readonly itemIds: ReadonlySet<string>;
  readonly categoryIds: ReadonlySet<string>;
  /** The instant a local date's midnight happens, in shop time. */
  readonly midnight: (date: string) => Date;
}

export type OfferParse =
  | { readonly ok: true; readonly stored: OfferRule }
  | { readonly ok: false; readonly errors: FieldErrors };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Reads the form's fields, writing what is wrong with each into `errors`. */
class Reader {
  readonly errors: Record<string, string> = {};
  constructor(readonly shop: ParseShop) {}

  fail(field: string, message: string): undefined {
    this.errors[field] ??= message;
    return undefined;
  }
  money(field: string, text: string, optional = false): number | undefined {
    if (optional && text === '') return 0;
    const amount = parseDecimalString(text, this.shop.currency);
    if (amount === undefined || amount < 0) {
      return this.fail(
        field,
        `Write an amount in ${this.shop.currency}, like ${this.shop.currency === 'JPY' ? '500' : '5.00'}.`,
      );
    }
    return amount;
  }
  percent(field: string, text: string): number | undefined {
    const percent = decimalNumber(text);
    if (!(percent > 0 && percent <= 100))
      return this.fail(field, 'Write a percent between 0 and 100, like 10.');
    return percent;
  }
  count(field: string, text: string, min: number): number | undefined {
    if (text === '') return undefined;
    const n = wholeNumber(text);
    if (!(n >= min)) return this.fail(field, `Write a whole number of at least ${min}, or leave it empty.`);
    return n;
  }
  targets(field: string, targets: readonly string[]) {
    const itemIds: string[] = [];
    const categoryIds: string[] = [];
    for (const t of targets) {
      const [kind, id = ''] = t.split(':', 2);
      if (kind === 'item' && this.shop.itemIds.has(id)) itemIds.push(id);
      else if (kind === 'cat' && this.shop.categoryIds.has(id)) categoryIds.push(id);
      else this.fail(field, `'${t}' is not on the menu (any more).`);
    }
    return { itemIds, categoryIds };
  }
  scope(targets: readonly string[]): OfferScope {
    return targets.length === 0 ? { kind: 'order' } : { kind: 'items', ...this.targets('scope', targets) };
  }
  value(kindField: string, kind: string, field: string, text: string): DiscountValue | undefined {
    if (kind === 'percent') {
      const percent = this.percent(field, text);
      return percent === undefined ? undefined : { kind: 'percent', percent };
    }
    if (kind !== 'amount') return this.fail(kindField, 'Choose percent or amount.');
    const amount = this.money(field, text);
    if (amount === 0) return this.fail(field, 'An amount off must be more than zero.');
    return amount === undefined ? undefined : { kind: 'amount', amount };
  }
  date(field: string, text: string, dayAfter = false): Date | undefined {
    if (text === '') return undefined;
    if (!DATE.test(text)) return this.fail(field, 'Write a date like 2026-12-31, or leave it empty.');
    return this.shop.midnight(dayAfter ? addDays(text, 1) : text);
  }
}

function mealDeal(r: Reader, v: OfferFormValues, base: { id: string; name: string }): OfferRule | undefined {
  const slots = v.slots.flatMap((slot, i) => {
    const field = `slot_${i + 1}`;
    if (slot.name === '' && slot.targets.length === 0) return [];
    if (slot.name === '') r.fail(`slot_name_${i + 1}`, 'Give this slot a name, like “Side”.');
    if (slot.targets.length === 0) r.fail(field, 'Choose what fills this slot.');
    return [{ name: slot.name, ...r.targets(field, slot.targets) }];
  });
  if (slots.length < 2) r.fail('slot_name_1', 'A meal deal needs at least two slots.');
  let price: MealDeal['price'] | undefined;
  if (v.priceKind === 'fixed') {
    const amount = r.money('price_value', v.priceValue);
    price = amount === undefined ? undefined : { kind: 'fixed', amount };
  } else price = r.value('price_kind', v.priceKind, 'price_value', v.priceValue);
  return price === undefined ? undefined : { kind: 'meal_deal', offer: { ...base, slots, price } };
}

function promoCode(r: Reader, v: OfferFormValues, base: { id: string; name: string }): OfferRule | undefined {
  const value = r.value('value_kind', v.valueKind, 'value', v.value);
  const minimumSubtotal = r.money('minimum', v.minimum, true);
  const validFrom = r.date('valid_from', v.validFrom);
  const validUntil = r.date('valid_until', v.validUntil, true);
  if (validFrom !== undefined && validUntil !== undefined && validUntil <= validFrom) {
    r.fail('valid_until', 'The last day cannot come before the first.');
  }
  const limits = {
    total: r.count('total_limit', v.totalLimit, 1),
    perCustomer: r.count('per_customer', v.perCustomer, 1),
  };
  const scope = r.scope(v.scope);
  if (value === undefined || minimumSubtotal === undefined) return undefined;
  const combinesWith = { codes: v.withCodes, mealDeals: v.withDeals };
  return {
    kind: 'promo_code',
    offer: { ...base, value, scope, minimumSubtotal, validFrom, validUntil, limits, combinesWith },
  };
}

function automatic(r: Reader, v: OfferFormValues, base: { id: string; name: string }): OfferRule | undefined {
  const percent = r.percent('percent', v.percent);
  const scope = r.scope(v.scope);
  if (v.kind === 'nth_unit') {
    const nth =
      r.count('nth', v.nth, 2) ?? r.fail('nth', 'Write which unit is discounted: 2 for the second one.');
    if (percent === undefined || nth === undefined) return undefined;
    return { kind: 'automatic', offer: { kind: 'nth_unit', ...base, nth, percent, scope } };
  }
  if (v.days.length === 0) r.fail('days', 'Tick at least one day.');
  if (!CLOCK.test(v.start)) r.fail('start', 'Write the start like 17:00.');
  if (!CLOCK.test(v.end)) r.fail('end', 'Write the end like 19:00 (before the start: past midnight).');
  if (v.start === v.end && CLOCK.test(v.start)) r.fail('end', 'The end must differ from the start.');
  if (percent === undefined) return undefined;
  const windows = [{ days: v.days as Weekday[], start: v.start, end: v.end }];
  return { kind: 'automatic', offer: { kind: 'happy_hour', ...base, percent, scope, windows } };
}

/** The offer the form describes, with `id`, or what is wrong with it by field. */
export function parseOfferForm(v: OfferFormValues, id: string, shop: ParseShop): OfferParse {
  const r = new Reader(shop);
  if (v.name === '') r.fail('name', 'Give the offer a name customers will see, like “Lunch deal”.');
  if (v.name.length > 80) r.fail('name', 'Keep the name under 80 characters.');
  const base = { id, name: v.name };
  const stored =
    v.kind === 'meal_deal'
      ? mealDeal(r, v, base)
      : v.kind === 'promo_code'
        ? promoCode(r, v, base)
        : automatic(r, v, base);
  if (stored === undefined || Object.keys(r.errors).length > 0) return { ok: false, errors: r.errors };
  return { ok: true, stored };
}

/**
 * The edited offer with what its form does not show kept as it was: a happy hour's windows after the
 * first and a meal deal's slots past the form's rows (both can come from a file or an earlier version).
 */
export function keepUnshown(before: OfferRule, after: OfferRule, slotRows: number): OfferRule {
  if (before.kind === 'meal_deal' && after.kind === 'meal_deal') {
    return {
      ...after,
      offer: { ...after.offer, slots: [...after.offer.slots, ...before.offer.slots.slice(slotRows)] },
    };
  }
  if (before.kind === 'automatic' && after.kind === 'automatic') {
    const b = before.offer;
    const a = after.offer;
    if (b.kind === 'happy_hour' && a.kind === 'happy_hour') {
      return { ...after, offer: { ...a, windows: [...a.windows, ...b.windows.slice(1)] } };
    }
  }
  return after;
}
