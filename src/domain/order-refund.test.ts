import { describe, expect, it } from 'vitest';
import {
  offerContext,
  offerItem,
  offerLine,
  offerOption,
  pricingInput,
  promo,
} from '../../test/helpers/offer-fixtures.js';
import { dayReport } from './day-report.js';
import type { MealDeal } from './offer-types.js';
import { lineRefundable, priceOrderWithOffers } from './offers.js';
import type { Order } from './order.js';
import { orderRefund } from './order-refund.js';
import type { TipChoice } from './pricing.js';

const MENU_DEAL: MealDeal = {
  id: 'menu',
  name: 'Menu',
  slots: [
    { name: 'main', itemIds: [], categoryIds: ['mains'] },
    { name: 'side', itemIds: [], categoryIds: ['sides'] },
    { name: 'drink', itemIds: [], categoryIds: ['drinks'] },
  ],
  price: { kind: 'fixed', amount: 0 },
};

/**
 * A meal deal (main, side and drink for a fixed price; the main's extra cheese charged as usual), a
 * second main on its own and a 10 % code that combines with meal deals, in one currency's prices.
 */
function discounted(
  currency: 'USD' | 'EUR' | 'JPY',
  prices: readonly number[],
  dealPrice: number,
  tip: TipChoice,
) {
  const [main = 0, cheese = 0, side = 0, drink = 0] = prices;
  const burger = offerItem('burger', 'mains', main);
  const input = pricingInput(
    currency,
    [
      offerLine(burger, 1, [offerOption('cheese', cheese)]),
      offerLine(offerItem('fries', 'sides', side), 1),
      offerLine(offerItem('beer', 'drinks', drink), 1, [], currency === 'EUR' ? 'drinks' : undefined),
      offerLine(burger, 1),
    ],
    { tip },
  );
  const code = promo(
    'TEN',
    { kind: 'percent', percent: 10 },
    { combinesWith: { codes: false, mealDeals: true } },
  );
  return priceOrderWithOffers(
    input,
    offerContext({
      mealDeals: [{ ...MENU_DEAL, price: { kind: 'fixed', amount: dealPrice } }],
      promoCodes: [code],
      codes: ['ten'],
    }),
  );
}

function refundedOrder(currency: string, priced: ReturnType<typeof discounted>): Order {
  const at = new Date('2026-11-24T17:00:00Z');
  return {
    id: 'ord_r',
    code: 'R1',
    customerId: 'cus_r',
    state: 'refunded',
    lines: [],
    nextLine: 1,
    pickup: 'asap',
    pickupSlot: undefined,
    fulfillment: { type: 'pickup' },
    customerName: undefined,
    customerPhone: undefined,
    tip: { kind: 'none' },
    currency,
    priced,
    createdAt: at,
    updatedAt: at,
    placedAt: at,
    payment: { method: 'demo_card' },
    version: 5,
  };
}

// Each row: the prices (main, cheese, side, drink), the deal's price, the tip, then the exact outcome.
const ROWS = [
  {
    // NYC 8.875 % on top. Items 1099+150+450+300 + 1099 = 3098; the deal takes 1849 → 1200 of the three
    // items: 649 off. The code takes 10 % of what is left (1200+150 → 135, 1099 → 110): 245. Discount 894,
    // subtotal 2204, tax 195.6 → 196, a $2.00 tip: 2600.
    currency: 'USD' as const,
    prices: [1099, 150, 450, 300],
    deal: 1200,
    tip: { kind: 'amount', amount: 200 } as TipChoice,
    refund: { amount: 2600, items: 2204, tax: 196, extras: 200, discount: 894 },
  },
  {
    // Paris, VAT inside: 10 % on food, 20 % on the beer. Items 1390+390+550 + 1290 = 3620; the deal takes
    // 2230 → 1200: 1030 off as 596, 180, 254. The code: 10 % of 794, 210, 296, 1290 → 79, 21, 30, 129 = 259.
    // Discount 1289, subtotal 2331; VAT 10 % inside 2065 → 188, 20 % inside 266 → 44.
    currency: 'EUR' as const,
    prices: [1290, 100, 390, 550],
    deal: 1200,
    tip: { kind: 'none' } as TipChoice,
    refund: { amount: 2331, items: 2331, tax: 232, extras: 0, discount: 1289 },
  },
  {
    // Tokyo, 8 % inside, whole yen. Items 830+300+200 + 780 = 2110; the deal takes 1280 → 900: 380 off as
    // 232, 89, 59. The code: 10 % of 598, 211, 141, 780 → 60, 21, 14, 78 = 173. Discount 553, subtotal
    // 1557; 8 % inside 1557 → 115.
    currency: 'JPY' as const,
    prices: [780, 50, 300, 200],
    deal: 900,
    tip: { kind: 'none' } as TipChoice,
    refund: { amount: 1557, items: 1557, tax: 115, extras: 0, discount: 553 },
  },
];

describe('orderRefund of a discounted order', () => {
  it.each(ROWS)(
    'gives back exactly what was charged ($currency)',
    ({ currency, prices, deal, tip, refund }) => {
      const priced = discounted(currency, prices, deal, tip);
      const back = orderRefund(priced);
      expect(back).toEqual(refund);
      expect(back.amount).toBe(priced.totals.total);
      // The lines' refundable amounts and the order's own extras make up the whole refund, to the unit.
      const lines = priced.lines.reduce((sum, _, i) => sum + lineRefundable(priced, i), 0);
      expect(lines + back.extras).toBe(back.amount);
    },
  );

  it.each(ROWS)(
    'leaves nothing in the day report once refunded ($currency)',
    ({ currency, prices, deal, tip, refund }) => {
      const priced = discounted(currency, prices, deal, tip);
      const r = dayReport({
        day: '2026-11-24',
        timezone: 'America/New_York',
        currency,
        from: new Date('2026-11-24T05:00:00Z'),
        until: new Date('2026-11-25T05:00:00Z'),
        asOf: new Date('2026-11-25T05:00:00Z'),
        orders: [{ order: refundedOrder(currency, priced), channel: 'mcp' }],
        localHour: () => 12,
      });
      expect(r.discounts).toBe(refund.discount);
      expect(r.gross).toBe(refund.amount + refund.discount);
      expect(r.refunds).toEqual({ orders: 1, amount: refund.amount });
      expect(r.net).toBe(0);
      expect(r.tax.reduce((sum, t) => sum + t.refunded, 0)).toBe(refund.tax);
      expect(r.tax.reduce((sum, t) => sum + t.net, 0)).toBe(0);
    },
  );
});
