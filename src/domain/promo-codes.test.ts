import { describe, expect, it } from 'vitest';
import {
  offerContext,
  offerItem,
  offerLine,
  pricingInput,
  promo,
} from '../../test/helpers/offer-fixtures.js';
import type { OfferContext, PromoCode } from './offer-types.js';
import { priceOrderWithOffers } from './offers.js';

const burger = offerItem('burger', 'mains', 1000);
const fries = offerItem('fries', 'sides', 400);
const soda = offerItem('soda', 'drinks', 250);
// 2 × 1000 + 400 + 2 × 250 = 2900 before tax; NYC 8.875 % on 2900 = 257.375 → 257.
const usdOrder = pricingInput('USD', [offerLine(burger, 2), offerLine(fries, 1), offerLine(soda, 2)]);

const CODES: PromoCode[] = [
  promo('TEN', { kind: 'percent', percent: 10 }),
  promo('FIVE', { kind: 'amount', amount: 500 }),
  promo(
    'FRIES50',
    { kind: 'percent', percent: 50 },
    { scope: { kind: 'items', itemIds: [], categoryIds: ['sides'] } },
  ),
  promo(
    'BURGER3',
    { kind: 'amount', amount: 300 },
    { scope: { kind: 'items', itemIds: ['burger'], categoryIds: [] } },
  ),
  promo('BIG20', { kind: 'percent', percent: 20 }, { minimumSubtotal: 3000 }),
  promo(
    'CAKE',
    { kind: 'percent', percent: 10 },
    { scope: { kind: 'items', itemIds: [], categoryIds: ['desserts'] } },
  ),
  promo('ALL', { kind: 'amount', amount: 5000 }),
  promo('MORE', { kind: 'percent', percent: 150 }),
  promo('TENPLUS', { kind: 'percent', percent: 10 }, { combinesWith: { codes: true, mealDeals: false } }),
  promo('FIVEPLUS', { kind: 'amount', amount: 500 }, { combinesWith: { codes: true, mealDeals: false } }),
];

function withCodes(codes: string[], extra: Partial<OfferContext> = {}) {
  return priceOrderWithOffers(usdOrder, offerContext({ promoCodes: CODES, codes, ...extra }));
}

describe('promo codes in USD with sales tax added on the discounted items', () => {
  // [codes, line discounts, subtotal, tax, total, refused reasons]
  const table: [string[], number[], number, number, number, string[]][] = [
    [[], [0, 0, 0], 2900, 257, 3157, []],
    // 10 % per line: 200 + 40 + 50; tax 2610 × 8.875 % = 231.64 → 232
    [['TEN'], [200, 40, 50], 2610, 232, 2842, []],
    // 500 spread 2000:400:500 → 344.8, 68.9, 86.2 floored, the 2 left to the largest remainders
    [['FIVE'], [345, 69, 86], 2400, 213, 2613, []],
    // only the sides category: 400 × 50 %; tax 2700 × 8.875 % = 239.63 → 240
    [['FRIES50'], [0, 200, 0], 2700, 240, 2940, []],
    // only the burger item; tax 2600 × 8.875 % = 230.75 → 231
    [['BURGER3'], [300, 0, 0], 2600, 231, 2831, []],
    [['BIG20'], [0, 0, 0], 2900, 257, 3157, ['minimum_not_met']],
    [['CAKE'], [0, 0, 0], 2900, 257, 3157, ['not_applicable']],
    [['NOPE'], [0, 0, 0], 2900, 257, 3157, ['unknown']],
    // never more than the items: the order's items cost nothing, never less
    [['ALL'], [2000, 400, 500], 0, 0, 0, []],
    [['MORE'], [2000, 400, 500], 0, 0, 0, []],
    // by default one code: the second is refused, whichever it is
    [['TEN', 'FIVE'], [200, 40, 50], 2610, 232, 2842, ['does_not_stack']],
    [['TENPLUS', 'FIVE'], [200, 40, 50], 2610, 232, 2842, ['does_not_stack']],
    // both allow it: 10 % first, then 500 spread over what is left (1800:360:450); tax 2110 → 187.26 → 187
    [['TENPLUS', 'FIVEPLUS'], [545, 109, 136], 2110, 187, 2297, []],
    // the same code twice (any case, spaces) counts once and is not refused
    [[' ten ', 'TEN'], [200, 40, 50], 2610, 232, 2842, []],
  ];
  it.each(table)('%j', (codes, lineDiscounts, subtotal, tax, total, refused) => {
    const order = withCodes(codes);
    expect(order.lines.map((l) => l.discount)).toEqual(lineDiscounts);
    const discount = lineDiscounts.reduce((a, b) => a + b, 0);
    expect(order.totals).toMatchObject({ itemsBase: 2900, discount, subtotal, tax, total });
    expect(order.refused.map((r) => r.reason)).toEqual(refused);
    expect(order.applied.reduce((sum, offer) => sum + offer.amount, 0)).toBe(discount);
  });

  it('tells the model how far the order is from the minimum', () => {
    expect(withCodes(['big20']).refused).toEqual([
      {
        code: 'big20',
        reason: 'minimum_not_met',
        message: 'Code BIG20 needs items worth $30.00; this order has $29.00 ($1.00 more).',
      },
    ]);
  });

  it('names the applied code and the lines it took from', () => {
    expect(withCodes(['FRIES50']).applied).toEqual([
      {
        offerId: 'promo-fries50',
        kind: 'promo_code',
        name: 'FRIES50',
        code: 'FRIES50',
        amount: 200,
        lines: [{ lineIndex: 1, amount: 200 }],
      },
    ]);
  });

  it('keeps a delivery fee and a service fee on a fully discounted order, and no total below zero', () => {
    const input = {
      ...usdOrder,
      deliveryFee: 300,
      fees: { ...usdOrder.fees, serviceFee: { kind: 'percent' as const, percent: 3 } },
    };
    const order = priceOrderWithOffers(input, offerContext({ promoCodes: CODES, codes: ['ALL'] }));
    expect(order.totals).toMatchObject({ subtotal: 0, tax: 0, fee: 0, delivery: 300, total: 300 });
  });
});

describe('validity window and usage limits', () => {
  const from = new Date('2026-06-01T00:00:00Z');
  const until = new Date('2026-07-01T00:00:00Z');
  const june = promo(
    'JUNE',
    { kind: 'percent', percent: 10 },
    { validFrom: from, validUntil: until, limits: { total: 100, perCustomer: 1 } },
  );
  const at = (now: Date, usage = new Map()) =>
    priceOrderWithOffers(usdOrder, offerContext({ promoCodes: [june], codes: ['JUNE'], now, usage }));
  const ms = (date: Date, delta: number) => new Date(date.getTime() + delta);

  // validFrom is inclusive, validUntil exclusive.
  const table: [string, Date, Map<string, { total: number; byCustomer: number }>, string | undefined][] = [
    ['a millisecond before the start', ms(from, -1), new Map(), 'not_started'],
    ['at the start', from, new Map(), undefined],
    ['a millisecond before the end', ms(until, -1), new Map(), undefined],
    ['at the end', until, new Map(), 'expired'],
    ['with 99 of 100 uses', from, new Map([['promo-june', { total: 99, byCustomer: 0 }]]), undefined],
    ['with 100 of 100 uses', from, new Map([['promo-june', { total: 100, byCustomer: 0 }]]), 'already_used'],
    [
      'used once by this customer',
      from,
      new Map([['promo-june', { total: 5, byCustomer: 1 }]]),
      'already_used',
    ],
  ];
  it.each(table)('%s', (_, now, usage, reason) => {
    const order = at(now, usage);
    expect(order.refused.map((r) => r.reason)).toEqual(reason === undefined ? [] : [reason]);
    expect(order.totals.discount).toBe(reason === undefined ? 290 : 0);
  });

  it('says when a code starts and when it ended', () => {
    expect(at(ms(from, -1)).refused[0]?.message).toBe('Code JUNE works from 2026-06-01T00:00:00.000Z.');
    expect(at(until).refused[0]?.message).toBe('Code JUNE expired at 2026-07-01T00:00:00.000Z.');
  });
});
