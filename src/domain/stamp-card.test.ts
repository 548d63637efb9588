import { describe, expect, it } from 'vitest';
import {
  offerContext,
  offerItem,
  offerLine,
  offerOption,
  pricingInput,
  promo,
} from '../../test/helpers/offer-fixtures.js';
import type { OfferContext, StampReward } from './offer-types.js';
import { priceOrderWithOffers } from './offers.js';
import { earnsStamp } from './stamp-card.js';

const usd = pricingInput('USD', [
  offerLine(offerItem('burger', 'mains', 1000), 2),
  offerLine(offerItem('fries', 'sides', 400), 1, [offerOption('cheese', 150)]),
  offerLine(offerItem('soda', 'drinks', 250), 2),
]);
const eur = pricingInput('EUR', [
  offerLine(offerItem('burger', 'mains', 1290), 1),
  offerLine(offerItem('fries', 'sides', 390), 1),
  offerLine(offerItem('beer', 'drinks', 550), 1, [], 'drinks'),
]);
const jpy = pricingInput('JPY', [
  offerLine(offerItem('teriyaki', 'mains', 980), 1),
  offerLine(offerItem('fries', 'sides', 330), 2),
]);
const reward = (r: StampReward, extra: Partial<OfferContext> = {}) =>
  offerContext({ stampReward: { reward: r, name: 'Stamp card' }, ...extra });

describe('a full stamp card’s reward in pricing', () => {
  it.each([
    // USD, tax added: the fries' own $4.00 is free, the cheese on them is charged.
    ['USD, an item free', usd, reward({ kind: 'item', itemId: 'fries' }), [0, 400, 0], 3050, 2650, 235, 2885],
    // $5 over $20.00, $5.50 and $5.00 in proportion: 327.9, 90.2, 82.0 → 328, 90, 82.
    [
      'USD, $5 off spread over the lines',
      usd,
      reward({ kind: 'amount', amount: 500 }),
      [328, 90, 82],
      3050,
      2550,
      226,
      2776,
    ],
    // EUR, VAT included: the beer free takes its 20 % VAT with it.
    ['EUR, an item free', eur, reward({ kind: 'item', itemId: 'beer' }), [0, 0, 550], 2230, 1680, 153, 1680],
    ['JPY, ¥500 off', jpy, reward({ kind: 'amount', amount: 500 }), [299, 201], 1640, 1140, 84, 1140],
    [
      'USD, the item is not on the order',
      usd,
      reward({ kind: 'item', itemId: 'cake' }),
      [0, 0, 0],
      3050,
      3050,
      271,
      3321,
    ],
  ])('%s', (_, input, ctx, perLine, itemsBase, subtotal, tax, total) => {
    const priced = priceOrderWithOffers(input, ctx);
    expect(priced.lines.map((l) => l.discount)).toEqual(perLine);
    expect(priced.totals).toMatchObject({ itemsBase, subtotal, tax, total });
    expect(priced.applied.some((a) => a.kind === 'stamp_card')).toBe(subtotal < itemsBase);
  });

  it('comes after a code, from what the code left', () => {
    const ctx = reward(
      { kind: 'amount', amount: 1000 },
      { promoCodes: [promo('HALF', { kind: 'percent', percent: 50 })], codes: ['HALF'] },
    );
    const priced = priceOrderWithOffers(jpy, ctx);
    expect(priced.applied.map((a) => [a.kind, a.amount])).toEqual([
      ['promo_code', 820],
      ['stamp_card', 820],
    ]);
    expect(priced.totals.total).toBe(0);
  });

  it.each([
    [500, 499, false],
    [500, 500, true],
    [0, 0, false],
    [0, 1, true],
  ])('with a minimum of %i, a subtotal of %i earns a stamp: %s', (minimum, subtotal, earns) => {
    const card = { enabled: true, minimum, stamps: 5, reward: { kind: 'amount', amount: 300 } } as const;
    expect(earnsStamp(card, subtotal)).toBe(earns);
    expect(earnsStamp({ ...card, enabled: false }, subtotal)).toBe(false);
  });
});
