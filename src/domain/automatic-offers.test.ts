import { describe, expect, it } from 'vitest';
import {
  offerContext,
  offerItem,
  offerLine,
  offerOption,
  pricingInput,
} from '../../test/helpers/offer-fixtures.js';
import { inOfferWindow } from './automatic-offers.js';
import type { AutomaticOffer, OfferWindow } from './offer-types.js';
import { priceOrderWithOffers } from './offers.js';
import type { LocalParts } from './shop-calendar.js';

const burger = offerItem('burger', 'mains', 1000);
const cheeseburger = offerItem('cheeseburger', 'mains', 1200);
const soda = offerItem('soda', 'drinks', 250);

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const happyHour: AutomaticOffer = {
  kind: 'happy_hour',
  id: 'happy-hour',
  name: 'Happy hour',
  percent: 50,
  scope: { kind: 'items', itemIds: [], categoryIds: ['drinks'] },
  windows: [{ days: weekdays, start: '17:00', end: '19:00' }],
};
const secondHalf: AutomaticOffer = {
  kind: 'nth_unit',
  id: 'second-half',
  name: 'Second main at half price',
  nth: 2,
  percent: 50,
  scope: { kind: 'items', itemIds: [], categoryIds: ['mains'] },
};

describe('happy hour in the shop time zone (New York)', () => {
  // burger 1000 + 2 sodas 500; half off the sodas in the window.
  const order = pricingInput('USD', [offerLine(burger, 1), offerLine(soda, 2)]);
  const at = (iso: string) =>
    priceOrderWithOffers(order, offerContext({ automatic: [happyHour], now: new Date(iso) }));

  // [when, local time, discount, tax, total]; start inclusive, end exclusive.
  const table: [string, string, number, number, number][] = [
    // tax 1250 × 8.875 % = 110.94 → 111
    ['2026-06-10T21:05:00Z', 'Wed 17:05 EDT', 250, 111, 1361],
    // tax 1500 × 8.875 % = 133.13 → 133
    ['2026-06-10T20:55:00Z', 'Wed 16:55 EDT', 0, 133, 1633],
    ['2026-06-10T21:00:00Z', 'Wed 17:00 EDT', 250, 111, 1361],
    ['2026-06-10T22:59:00Z', 'Wed 18:59 EDT', 250, 111, 1361],
    ['2026-06-10T23:00:00Z', 'Wed 19:00 EDT', 0, 133, 1633],
    ['2026-06-13T21:05:00Z', 'Sat 17:05 EDT', 0, 133, 1633],
    // Daylight saving time starts on Sunday 8 March 2026: the same UTC time is an hour later on the wall.
    ['2026-03-06T21:05:00Z', 'Fri 16:05 EST', 0, 133, 1633],
    ['2026-03-06T22:05:00Z', 'Fri 17:05 EST', 250, 111, 1361],
    ['2026-03-09T21:05:00Z', 'Mon 17:05 EDT', 250, 111, 1361],
    ['2026-03-09T20:55:00Z', 'Mon 16:55 EDT', 0, 133, 1633],
  ];
  it.each(table)('%s (%s)', (iso, _, discount, tax, total) => {
    const priced = at(iso);
    expect(priced.totals).toMatchObject({ itemsBase: 1500, discount, subtotal: 1500 - discount, tax, total });
    expect(priced.lines.map((l) => l.discount)).toEqual([0, discount]);
    expect(priced.applied.map((a) => a.offerId)).toEqual(discount > 0 ? ['happy-hour'] : []);
  });

  it('takes the wall clock of the shop, not of UTC: Tokyo at 17:05 JST', () => {
    const tokyo = pricingInput('JPY', [offerLine(offerItem('highball', 'drinks', 550), 1)]);
    const ctx = offerContext({ automatic: [happyHour], now: new Date('2026-06-10T08:05:00Z') }, 'Asia/Tokyo');
    // 550 × 50 % = 275; 8 % included: 275 − round(275 / 1.08 = 254.63) = 20
    expect(priceOrderWithOffers(tokyo, ctx).totals).toMatchObject({ discount: 275, tax: 20, total: 275 });
  });
});

describe('inOfferWindow', () => {
  const late: OfferWindow = { days: ['fri'], start: '22:00', end: '02:00' };
  const parts = (weekday: LocalParts['weekday'], hhmm: string): LocalParts => {
    const [h = 0, m = 0] = hhmm.split(':').map(Number);
    return { date: '2026-06-12', weekday, minutes: h * 60 + m };
  };
  const table: [LocalParts['weekday'], string, boolean][] = [
    ['fri', '21:59', false],
    ['fri', '22:00', true],
    ['sat', '01:59', true],
    ['sat', '02:00', false],
    ['sat', '22:30', false],
    ['thu', '23:00', false],
    ['fri', '01:00', false],
  ];
  it.each(table)('a Friday 22:00–02:00 window on %s at %s: %s', (weekday, hhmm, inside) => {
    expect(inOfferWindow(late, parts(weekday, hhmm))).toBe(inside);
  });
});

describe('second one at 50 % off', () => {
  const priced = (lines: ReturnType<typeof offerLine>[], offers: AutomaticOffer[] = [secondHalf]) =>
    priceOrderWithOffers(pricingInput('USD', lines), offerContext({ automatic: offers }));

  // [lines, line discounts]: the cheaper unit of each pair gets it, units counted over lines.
  const table: [string, ReturnType<typeof offerLine>[], number[]][] = [
    ['one burger', [offerLine(burger, 1)], [0]],
    ['two burgers on one line', [offerLine(burger, 2)], [500]],
    ['three burgers', [offerLine(burger, 3)], [500]],
    ['four burgers', [offerLine(burger, 4)], [1000]],
    ['a cheeseburger and a burger: the burger', [offerLine(cheeseburger, 1), offerLine(burger, 1)], [0, 500]],
    [
      'a cheeseburger with bacon (1350) and one without (1200): the plain one',
      [offerLine(cheeseburger, 1, [offerOption('bacon', 150)]), offerLine(cheeseburger, 1)],
      [0, 600],
    ],
    ['a burger and a soda: not a pair of mains', [offerLine(burger, 1), offerLine(soda, 1)], [0, 0]],
  ];
  it.each(table)('%s', (_, lines, discounts) => {
    expect(priced(lines).lines.map((l) => l.discount)).toEqual(discounts);
  });

  it('prices the pair with tax on the discounted amount', () => {
    // 2200 − 500 = 1700; 1700 × 8.875 % = 150.88 → 151
    expect(priced([offerLine(burger, 1), offerLine(cheeseburger, 1)]).totals).toMatchObject({
      itemsBase: 2200,
      discount: 500,
      subtotal: 1700,
      tax: 151,
      total: 1851,
    });
  });

  it('gives each line the one automatic offer that takes the most off it', () => {
    const everything: AutomaticOffer = { ...happyHour, id: 'all-20', percent: 20, scope: { kind: 'order' } };
    const order = pricingInput('USD', [offerLine(burger, 1), offerLine(cheeseburger, 1), offerLine(soda, 1)]);
    const ctx = offerContext({ automatic: [everything, secondHalf], now: new Date('2026-06-10T21:05:00Z') });
    const result = priceOrderWithOffers(order, ctx);
    // burger: 20 % = 200 or second-one 500 → 500; cheeseburger 240; soda 50. 2450 − 790 = 1660 → tax 147.33 → 147
    expect(result.applied.map((a) => [a.offerId, a.amount, a.lines.map((l) => l.lineIndex)])).toEqual([
      ['all-20', 290, [1, 2]],
      ['second-half', 500, [0]],
    ]);
    expect(result.totals).toMatchObject({ discount: 790, subtotal: 1660, tax: 147, total: 1807 });
  });
});
