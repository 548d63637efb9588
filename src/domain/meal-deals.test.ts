import { describe, expect, it } from 'vitest';
import {
  offerContext,
  offerItem,
  offerLine,
  offerOption,
  pricingInput,
  promo,
} from '../../test/helpers/offer-fixtures.js';
import type { AutomaticOffer, MealDeal, OfferContext } from './offer-types.js';
import { priceOrderWithOffers } from './offers.js';
import type { PricingLine } from './pricing.js';

const burger = offerItem('burger', 'mains', 1000);
const cheeseburger = offerItem('cheeseburger', 'mains', 1200);
const fries = offerItem('fries', 'sides', 400);
const soda = offerItem('soda', 'drinks', 250);
const bacon = offerOption('bacon', 150);
const large = offerOption('large', 100);

const slots = (...categories: string[]) =>
  categories.map((c) => ({ name: c, itemIds: [] as string[], categoryIds: [c] }));
const meal = (price: MealDeal['price']): MealDeal => ({
  id: 'burger-meal',
  name: 'Burger meal',
  slots: slots('mains', 'sides', 'drinks'),
  price,
});

function usd(lines: PricingLine[], extra: Partial<OfferContext> = {}) {
  return priceOrderWithOffers(
    pricingInput('USD', lines),
    offerContext({ mealDeals: [meal({ kind: 'fixed', amount: 1300 })], ...extra }),
  );
}

// A cheeseburger with bacon (1350), fries (400) and a large soda (350): the parts' items cost 1850, the
// meal 1300, so 550 comes off the items in proportion 1200:400:250 (356.8, 118.9, 74.3 → floored, then
// the 2 units left to the largest remainders); bacon and the large size are charged as usual.
const mealLines = [offerLine(cheeseburger, 1, [bacon]), offerLine(fries, 1), offerLine(soda, 1, [large])];

describe('a meal deal with choices, at a fixed price, options priced as usual', () => {
  it('prices the bundle at the deal price plus the options, tax on that (USD)', () => {
    const order = usd(mealLines);
    expect(order.lines.map((l) => [l.lineTotal, l.discount, l.net])).toEqual([
      [1350, 357, 993],
      [400, 119, 281],
      [350, 74, 276],
    ]);
    // 1300 + 150 + 100 = 1550; 1550 × 8.875 % = 137.56 → 138
    expect(order.totals).toMatchObject({
      itemsBase: 2100,
      discount: 550,
      subtotal: 1550,
      tax: 138,
      total: 1688,
    });
    expect(order.applied).toEqual([
      {
        offerId: 'burger-meal',
        kind: 'meal_deal',
        name: 'Burger meal',
        amount: 550,
        lines: [
          { lineIndex: 0, amount: 357 },
          { lineIndex: 1, amount: 119 },
          { lineIndex: 2, amount: 74 },
        ],
        bundles: [[0, 1, 2]],
      },
    ]);
  });

  // [case, lines, bundles, discount]
  const table: [string, PricingLine[], number[][], number][] = [
    ['no drink: no bundle', [offerLine(burger, 1), offerLine(fries, 1)], [], 0],
    // burger 1000 + fries 400 + soda 250 = 1650 → 350 off; the second burger is full price
    [
      'two burgers, one side, one drink',
      [offerLine(burger, 2), offerLine(fries, 1), offerLine(soda, 1)],
      [[0, 1, 2]],
      350,
    ],
    [
      'two of everything: two bundles',
      [offerLine(burger, 2), offerLine(fries, 2), offerLine(soda, 2)],
      [
        [0, 1, 2],
        [0, 1, 2],
      ],
      700,
    ],
    // the dearer main goes into the single bundle: 1200 + 400 + 250 − 1300 = 550
    [
      'a burger and a cheeseburger',
      [offerLine(burger, 1), offerLine(cheeseburger, 1), offerLine(fries, 1), offerLine(soda, 1)],
      [[1, 2, 3]],
      550,
    ],
  ];
  it.each(table)('%s', (_, lines, bundles, discount) => {
    const order = usd(lines);
    expect(order.applied[0]?.bundles ?? []).toEqual(bundles);
    expect(order.totals.discount).toBe(discount);
  });

  it('is not applied when the parts cost less than the deal', () => {
    const order = priceOrderWithOffers(
      pricingInput('USD', [offerLine(burger, 1), offerLine(fries, 1), offerLine(soda, 1)]),
      offerContext({ mealDeals: [meal({ kind: 'fixed', amount: 2000 })] }),
    );
    expect(order.applied).toEqual([]);
    expect(order.totals).toMatchObject({ discount: 0, subtotal: 1650 });
  });

  it('keeps a unit that fits only a later slot for that slot', () => {
    // Slot one takes a main or a side, slot two only a main: the fries go in slot one, the burger in two.
    const either: MealDeal = {
      id: 'two-for',
      name: 'Two for 12',
      slots: [
        { name: 'main or side', itemIds: [], categoryIds: ['mains', 'sides'] },
        { name: 'main', itemIds: [], categoryIds: ['mains'] },
      ],
      price: { kind: 'fixed', amount: 1200 },
    };
    const order = usd([offerLine(burger, 1), offerLine(fries, 1)], { mealDeals: [either] });
    expect(order.applied[0]?.bundles).toEqual([[1, 0]]);
    expect(order.totals.discount).toBe(200);
  });

  it('prices a percent meal deal in yen with tax included', () => {
    const yenDeal: MealDeal = { ...meal({ kind: 'percent', percent: 20 }), id: 'set' };
    const lines = [
      offerLine(offerItem('teriyaki', 'mains', 980), 1),
      offerLine(offerItem('edamame', 'sides', 330), 1, [offerOption('salt', 30)]),
      offerLine(offerItem('oolong', 'drinks', 190), 1),
    ];
    const order = priceOrderWithOffers(pricingInput('JPY', lines), offerContext({ mealDeals: [yenDeal] }));
    // items 1500 × 20 % = 300, split 980:330:190 → 196, 66, 38; 1530 − 300 = 1230; 8 % inside: 1230 − 1139 = 91
    expect(order.lines.map((l) => l.discount)).toEqual([196, 66, 38]);
    expect(order.totals).toMatchObject({
      itemsBase: 1530,
      discount: 300,
      subtotal: 1230,
      tax: 91,
      total: 1230,
    });
  });
});

describe('meal deals with other offers', () => {
  const ten = promo('TEN', { kind: 'percent', percent: 10 });
  const tenWithDeals = promo(
    'TENDEAL',
    { kind: 'percent', percent: 10 },
    { combinesWith: { codes: false, mealDeals: true } },
  );

  it('refuses a code that does not combine with a meal deal, and keeps the deal', () => {
    const order = usd(mealLines, { promoCodes: [ten], codes: ['TEN'] });
    expect(order.refused.map((r) => [r.reason, r.message])).toEqual([
      ['does_not_stack', 'Code TEN cannot be combined with a meal deal.'],
    ]);
    expect(order.totals).toMatchObject({ discount: 550, total: 1688 });
  });

  it('applies a code that combines with meal deals on what the lines still cost', () => {
    const order = usd(mealLines, { promoCodes: [tenWithDeals], codes: ['TENDEAL'] });
    // 10 % of 993, 281, 276 = 99.3, 28.1, 27.6 → 99 + 28 + 28 = 155; 1395 × 8.875 % = 123.81 → 124
    expect(order.applied.map((a) => [a.offerId, a.amount])).toEqual([
      ['burger-meal', 550],
      ['promo-tendeal', 155],
    ]);
    expect(order.totals).toMatchObject({ discount: 705, subtotal: 1395, tax: 124, total: 1519 });
  });

  it('leaves units inside a bundle out of happy hour; the other units get it', () => {
    const happy: AutomaticOffer = {
      kind: 'happy_hour',
      id: 'happy-hour',
      name: 'Happy hour',
      percent: 50,
      scope: { kind: 'items', itemIds: [], categoryIds: ['drinks'] },
      windows: [{ days: ['wed'], start: '17:00', end: '19:00' }],
    };
    const lines = [offerLine(cheeseburger, 1, [bacon]), offerLine(fries, 1), offerLine(soda, 2, [large])];
    const order = usd(lines, { automatic: [happy], now: new Date('2026-06-10T21:05:00Z') });
    // One large soda is in the meal (74 off its item price); the other gets half of 350 = 175.
    expect(order.lines.map((l) => l.discount)).toEqual([357, 119, 74 + 175]);
    expect(order.applied.map((a) => [a.offerId, a.amount])).toEqual([
      ['burger-meal', 550],
      ['happy-hour', 175],
    ]);
  });
});
