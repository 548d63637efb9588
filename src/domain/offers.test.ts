import { describe, expect, it } from 'vitest';
import {
  offerContext,
  offerItem,
  offerLine,
  offerOption,
  pricingInput,
  promo,
} from '../../test/helpers/offer-fixtures.js';
import { AppError } from './app-error.js';
import type { PromoCode } from './offer-types.js';
import { lineRefundable, priceOrderWithOffers } from './offers.js';
import { type PricingInput, priceOrder } from './pricing.js';

const burger = offerItem('burger', 'mains', 1290);
const fries = offerItem('fries', 'sides', 390);
const beer = offerItem('beer', 'drinks', 550);
// EUR, VAT included: food 10 %, the beer 20 %.
const eurOrder = pricingInput('EUR', [
  offerLine(burger, 1),
  offerLine(fries, 1),
  offerLine(beer, 1, [], 'drinks'),
]);
const yenOrder = pricingInput('JPY', [
  offerLine(offerItem('teriyaki', 'mains', 980), 1),
  offerLine(offerItem('fries', 'sides', 330), 2),
]);
const usdOrder = pricingInput('USD', [
  offerLine(offerItem('burger', 'mains', 1000), 2),
  offerLine(offerItem('fries', 'sides', 400), 1),
  offerLine(offerItem('soda', 'drinks', 250), 2),
]);

const CODES: PromoCode[] = [
  promo('TEN', { kind: 'percent', percent: 10 }),
  promo('FIFTEEN', { kind: 'percent', percent: 15 }),
  promo('FIVE', { kind: 'amount', amount: 500 }),
];
const withCode = (input: PricingInput, code: string) =>
  priceOrderWithOffers(input, offerContext({ promoCodes: CODES, codes: [code] }));

describe('priceOrderWithOffers without offers', () => {
  const withFees: PricingInput = {
    ...usdOrder,
    fees: { serviceFee: { kind: 'percent', percent: 3 }, tips: { enabled: true, suggestedPercents: [] } },
    tip: { kind: 'percent', percent: 15 },
    deliveryFee: 299,
  };
  it.each([
    ['USD with fee, tip and delivery', withFees],
    ['EUR', eurOrder],
    ['JPY', yenOrder],
  ])('prices %s exactly as priceOrder, with no discount', (_, input) => {
    const plain = priceOrder(input);
    const offered = priceOrderWithOffers(input, offerContext({ promoCodes: CODES }));
    expect(offered.totals).toEqual({ ...plain.totals, discount: 0 });
    expect(offered.lines).toEqual(plain.lines.map((l) => ({ ...l, discount: 0, net: l.lineTotal })));
    expect(offered.applied).toEqual([]);
  });
});

describe('tax worked out on the discounted amounts', () => {
  // [case, input, code, line discounts, subtotal, tax, total]
  const table: [string, PricingInput, string, number[], number, number, number][] = [
    // 10 % per line 129, 39, 55. Food 1161 + 351 = 1512: 1512 − round(1512 / 1.1 = 1374.55) = 137;
    // beer 495 − round(495 / 1.2 = 412.5 → 413) = 82. VAT stays inside the total.
    ['EUR 10 % with VAT included', eurOrder, 'TEN', [129, 39, 55], 2007, 219, 2007],
    // 500 over 1290:390:550 → 289.24, 87.44, 123.32 → floored 289, 87, 123, the one left to the fries
    // (largest remainder). Food 1001 + 302 = 1303 → 1303 − round(1184.55) = 118; beer 427 − round(355.83) = 71
    ['EUR 5.00 off with VAT included', eurOrder, 'FIVE', [289, 88, 123], 1730, 189, 1730],
    // 15 % of 980 = 147, of 660 = 99; 1394 − round(1394 / 1.08 = 1290.74) = 103
    ['JPY 15 % with tax included', yenOrder, 'FIFTEEN', [147, 99], 1394, 103, 1394],
    // ¥500 over 980:660 → 298.8, 201.2 → 298 + 201, the yen left to the teriyaki; 1140 − round(1055.56) = 84
    ['JPY ¥500 off with tax included', yenOrder, 'FIVE', [299, 201], 1140, 84, 1140],
    // 2610 × 8.875 % = 231.64 → 232, added on top
    ['USD 10 % with sales tax added', usdOrder, 'TEN', [200, 40, 50], 2610, 232, 2842],
  ];
  it.each(table)('%s', (_, input, code, discounts, subtotal, tax, total) => {
    const order = withCode(input, code);
    expect(order.lines.map((l) => l.discount)).toEqual(discounts);
    expect(order.totals).toMatchObject({
      subtotal,
      tax,
      total,
      discount: discounts.reduce((a, b) => a + b, 0),
    });
    expect(order.totals.taxBreakdown.reduce((sum, t) => sum + t.amount, 0)).toBe(tax);
  });

  it('works the service fee and a percent tip out on the discounted items', () => {
    const input: PricingInput = {
      ...usdOrder,
      fees: { serviceFee: { kind: 'percent', percent: 3 }, tips: { enabled: true, suggestedPercents: [] } },
      tip: { kind: 'percent', percent: 15 },
    };
    // 2400 after FIVE: fee 72, tip 360, tax 213
    expect(withCode(input, 'FIVE').totals).toMatchObject({
      subtotal: 2400,
      fee: 72,
      tip: 360,
      tax: 213,
      total: 3045,
    });
  });
});

describe('lineRefundable', () => {
  it('gives back what was paid for a discounted line, with its share of the added tax', () => {
    const order = withCode(usdOrder, 'FIVE');
    // nets 1655, 331, 414; tax 213 on 2400 shared: 146.87 → 147, 29.38 → 29, 36.74 → 37
    expect([0, 1, 2].map((i) => lineRefundable(order, i))).toEqual([1802, 360, 451]);
    expect([0, 1, 2].reduce((sum, i) => sum + lineRefundable(order, i), 0)).toBe(order.totals.total);
  });

  it('gives back the discounted price where VAT is included', () => {
    const order = withCode(eurOrder, 'TEN');
    expect([0, 1, 2].map((i) => lineRefundable(order, i))).toEqual([1161, 351, 495]);
  });

  it('gives back nothing for a line the offers made free, and the options of a meal part', () => {
    const free = priceOrderWithOffers(
      usdOrder,
      offerContext({ promoCodes: [promo('ALL', { kind: 'amount', amount: 9999 })], codes: ['ALL'] }),
    );
    expect(lineRefundable(free, 1)).toBe(0);
    const meal = priceOrderWithOffers(
      pricingInput('EUR', [
        offerLine(burger, 1, [offerOption('cheese', 100)]),
        offerLine(fries, 1),
        offerLine(beer, 1, [], 'drinks'),
      ]),
      offerContext({
        mealDeals: [
          {
            id: 'menu',
            name: 'Menu burger',
            slots: [
              { name: 'main', itemIds: ['burger'], categoryIds: [] },
              { name: 'side', itemIds: [], categoryIds: ['sides'] },
              { name: 'drink', itemIds: [], categoryIds: ['drinks'] },
            ],
            price: { kind: 'fixed', amount: 1200 },
          },
        ],
      }),
    );
    // items 2230 → 1200: 1030 over 1290:390:550 → 596, 180, 254; the cheese stays 1.00. Food 794 + 210 = 1004
    // → 1004 − round(912.73) = 91; beer 296 − round(246.67) = 49.
    expect(meal.lines.map((l) => l.net)).toEqual([794, 210, 296]);
    expect(meal.totals).toMatchObject({ subtotal: 1300, tax: 140, total: 1300 });
    expect(lineRefundable(meal, 0)).toBe(794);
  });

  it('refuses a line the order does not have', () => {
    const order = withCode(usdOrder, 'TEN');
    expect(() => lineRefundable(order, 7)).toThrow(AppError);
  });
});
