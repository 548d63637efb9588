import type { MenuItem, ModifierOption } from '../../src/domain/catalog.js';
import type { OfferContext, PromoCode } from '../../src/domain/offer-types.js';
import type { PricingInput, PricingLine } from '../../src/domain/pricing.js';
import { createShopCalendar } from '../../src/domain/shop-calendar.js';
import type { FeeSettings, TaxSettings } from '../../src/domain/shop-settings.js';
import { menuItem } from './menu-item.js';

/** A menu item of `categoryId` at `price` minor units. */
export function offerItem(id: string, categoryId: string, price: number): MenuItem {
  return menuItem({ id, categoryId, price });
}

export function offerOption(id: string, price: number): ModifierOption {
  return { id, groupId: 'extras', name: id, price, isDefault: false, soldOut: false, sort: 0 };
}

export function offerLine(
  item: MenuItem,
  quantity: number,
  options: ModifierOption[] = [],
  taxRateId?: string,
): PricingLine {
  return { item, taxRateId, quantity, options };
}

/** New York: 8.875 % sales tax added on top. */
export const USD_TAX: TaxSettings = {
  inclusive: false,
  defaultRateId: 'nyc',
  rates: [{ id: 'nyc', name: 'NYC sales tax', percent: 8.875 }],
};

/** France: VAT inside the prices, 10 % on food and 20 % on alcohol. */
export const EUR_TAX: TaxSettings = {
  inclusive: true,
  defaultRateId: 'food',
  rates: [
    { id: 'food', name: 'TVA 10 %', percent: 10 },
    { id: 'drinks', name: 'TVA 20 %', percent: 20 },
  ],
};

/** Japan: prices shown with the 8 % takeout rate included. */
export const JPY_TAX: TaxSettings = {
  inclusive: true,
  defaultRateId: 'takeout',
  rates: [{ id: 'takeout', name: '軽減税率 8%', percent: 8 }],
};

export const NO_FEES: FeeSettings = {
  serviceFee: { kind: 'none' },
  tips: { enabled: true, suggestedPercents: [] },
};

const TAX_OF: Record<string, TaxSettings> = { USD: USD_TAX, EUR: EUR_TAX, JPY: JPY_TAX };

export function pricingInput(
  currency: 'USD' | 'EUR' | 'JPY',
  lines: PricingLine[],
  extra: Partial<PricingInput> = {},
): PricingInput {
  const tax = TAX_OF[currency] ?? USD_TAX;
  return { lines, tax, fees: NO_FEES, tip: { kind: 'none' }, currency, ...extra };
}

/** A code with the defaults an owner starts from: whole order, no minimum, no limits, alone. */
export function promo(code: string, value: PromoCode['value'], extra: Partial<PromoCode> = {}): PromoCode {
  return {
    id: `promo-${code.toLowerCase()}`,
    code,
    name: code,
    value,
    scope: { kind: 'order' },
    minimumSubtotal: 0,
    limits: {},
    combinesWith: { codes: false, mealDeals: false },
    ...extra,
  };
}

/** A shop in `timezone` with no offers; a Wednesday noon in New York unless `now` says otherwise. */
export function offerContext(extra: Partial<OfferContext> = {}, timezone = 'America/New_York'): OfferContext {
  const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  return {
    now: new Date('2026-06-10T16:00:00Z'),
    calendar: createShopCalendar({ timezone, weekly: closed, exceptions: [] }),
    automatic: [],
    mealDeals: [],
    promoCodes: [],
    codes: [],
    usage: new Map(),
    ...extra,
  };
}
