import { describe, expect, it } from 'vitest';
import { menuItem } from '../../test/helpers/menu-item.js';
import { AppError } from './app-error.js';
import type { MenuItem, ModifierOption } from './catalog.js';
import { divideRounded, type PricingInput, type PricingLine, priceOrder, toMilliPercent } from './pricing.js';
import type { FeeSettings, TaxSettings } from './shop-settings.js';

function item(id: string, price: number): MenuItem {
  return menuItem({ id, price, name: id.replace(/-/g, ' ') });
}

function option(id: string, price: number): ModifierOption {
  return { id, groupId: 'extras', name: id, price, isDefault: false, soldOut: false, sort: 0 };
}

function line(menuItem: MenuItem, quantity: number, extra: Partial<PricingLine> = {}): PricingLine {
  return { item: menuItem, taxRateId: undefined, quantity, options: [], ...extra };
}

const nycTax: TaxSettings = {
  inclusive: false,
  defaultRateId: 'nyc',
  rates: [{ id: 'nyc', name: 'NYC sales tax', percent: 8.875 }],
};
const noFees: FeeSettings = {
  serviceFee: { kind: 'none' },
  tips: { enabled: true, suggestedPercents: [15, 18, 20] },
};

function input(lines: PricingLine[], overrides: Partial<PricingInput> = {}): PricingInput {
  return { lines, tax: nycTax, fees: noFees, tip: { kind: 'none' }, currency: 'USD', ...overrides };
}

describe('integer helpers', () => {
  it('turns percents into thousandths without float drift', () => {
    expect([toMilliPercent(8.875), toMilliPercent(7.1), toMilliPercent(20), toMilliPercent(0.1)]).toEqual([
      8875, 7100, 20000, 100,
    ]);
  });

  it('rounds halves away from zero', () => {
    expect([
      divideRounded(25, 10),
      divideRounded(24, 10),
      divideRounded(15, 10),
      divideRounded(14, 10),
    ]).toEqual([3, 2, 2, 1]);
    expect([divideRounded(-25, 10), divideRounded(-24, 10)]).toEqual([-3, -2]);
  });

  it('refuses non-integer input', () => {
    expect(() => divideRounded(2.5, 10)).toThrow(AppError);
  });
});

describe('priceOrder', () => {
  it('adds option prices to the unit price and multiplies by the quantity', () => {
    const burger = item('cheeseburger', 850);
    const priced = priceOrder(
      input([
        line(burger, 2, { options: [option('cheddar', 100), option('bacon', 150), option('no-onions', 0)] }),
      ]),
    );
    expect(priced.lines[0]).toEqual({
      itemId: 'cheeseburger',
      name: 'cheeseburger',
      quantity: 2,
      options: [
        { id: 'cheddar', name: 'cheddar', price: 100 },
        { id: 'bacon', name: 'bacon', price: 150 },
        { id: 'no-onions', name: 'no-onions', price: 0 },
      ],
      note: undefined,
      taxRateId: 'nyc',
      unitPrice: 1100,
      lineTotal: 2200,
    });
    // 2200 × 8.875 % = 195.25 → 195
    expect(priced.totals).toMatchObject({ subtotal: 2200, tax: 195, total: 2395 });
  });

  it('adds exclusive sales tax on top (8.875 %)', () => {
    const priced = priceOrder(input([line(item('cheeseburger', 1099), 2), line(item('fries', 449), 1)]));
    // 2647 × 0.08875 = 234.92 → 235
    expect(priced.totals).toEqual({
      itemsBase: 2647,
      subtotal: 2647,
      tax: 235,
      taxBreakdown: [{ rateId: 'nyc', name: 'NYC sales tax', percent: 8.875, amount: 235 }],
      taxIncluded: false,
      fee: 0,
      tip: 0,
      total: 2882,
    });
  });

  it('extracts inclusive VAT per rate group (EUR 10 % food, 20 % drinks) without adding it', () => {
    const vat: TaxSettings = {
      inclusive: true,
      defaultRateId: 'food',
      rates: [
        { id: 'food', name: 'TVA 10 %', percent: 10 },
        { id: 'drinks', name: 'TVA 20 %', percent: 20 },
      ],
    };
    const priced = priceOrder(
      input(
        [
          line(item('burger', 1290), 1),
          line(item('fries', 390), 1),
          line(item('beer', 550), 1, { taxRateId: 'drinks' }),
        ],
        { tax: vat, currency: 'EUR' },
      ),
    );
    // food: 1680 − round(1680 / 1.1 = 1527.27) = 153; drinks: 550 − round(550 / 1.2 = 458.33) = 92
    expect(priced.totals.taxBreakdown).toEqual([
      { rateId: 'food', name: 'TVA 10 %', percent: 10, amount: 153 },
      { rateId: 'drinks', name: 'TVA 20 %', percent: 20, amount: 92 },
    ]);
    expect(priced.totals).toMatchObject({ subtotal: 2230, tax: 245, taxIncluded: true, total: 2230 });
    expect(priced.lines.map((l) => l.taxRateId)).toEqual(['food', 'food', 'drinks']);
  });

  it('rounds tax once per rate group, not per line', () => {
    const tenPercent: TaxSettings = {
      inclusive: false,
      defaultRateId: 't',
      rates: [{ id: 't', name: 'T', percent: 10 }],
    };
    // Per line 0.5 + 0.5 would round to 2; the group's 10 × 10 % is exactly 1.
    const priced = priceOrder(input([line(item('a', 5), 1), line(item('b', 5), 1)], { tax: tenPercent }));
    expect(priced.totals.tax).toBe(1);
  });

  it('rounds exact halves away from zero, exclusive and inclusive', () => {
    const rate = (percent: number, inclusive: boolean): TaxSettings => ({
      inclusive,
      defaultRateId: 'r',
      rates: [{ id: 'r', name: 'R', percent }],
    });
    const taxOf = (price: number, tax: TaxSettings) =>
      priceOrder(input([line(item('x', price), 1)], { tax })).totals.tax;
    expect(taxOf(25, rate(10, false))).toBe(3); // 2.5 → 3 (banker's rounding would give 2)
    expect(taxOf(5, rate(10, false))).toBe(1); // 0.5 → 1
    expect(taxOf(200, rate(8.875, false))).toBe(18); // 17.75 → 18
    expect(taxOf(3, rate(20, true))).toBe(0); // net 3 / 1.2 = 2.5 → 3, so tax 0
    expect(taxOf(15, rate(20, true))).toBe(2); // net 12.5 → 13, tax 2
  });

  it('keeps several exclusive rates apart in the breakdown', () => {
    const tax: TaxSettings = {
      inclusive: false,
      defaultRateId: 'food',
      rates: [
        { id: 'food', name: 'Prepared food', percent: 7 },
        { id: 'alcohol', name: 'Alcohol', percent: 10.25 },
      ],
    };
    const priced = priceOrder(
      input([line(item('burger', 1250), 2), line(item('ipa', 799), 1, { taxRateId: 'alcohol' })], { tax }),
    );
    // food 2500 × 7 % = 175; alcohol 799 × 10.25 % = 81.8975 → 82
    expect(priced.totals.taxBreakdown.map((t) => [t.rateId, t.amount])).toEqual([
      ['food', 175],
      ['alcohol', 82],
    ]);
    expect(priced.totals).toMatchObject({ subtotal: 3299, tax: 257, total: 3556 });
  });

  it('prices yen (no minor digits) with the same integer rules', () => {
    const japan: TaxSettings = {
      inclusive: false,
      defaultRateId: 'takeout',
      rates: [{ id: 'takeout', name: '軽減税率 8%', percent: 8 }],
    };
    const priced = priceOrder(
      input([line(item('teriyaki-burger', 1234), 1), line(item('fries', 330), 2)], {
        tax: japan,
        currency: 'JPY',
      }),
    );
    // 1894 × 8 % = 151.52 → 152
    expect(priced.currency).toBe('JPY');
    expect(priced.totals).toMatchObject({ subtotal: 1894, tax: 152, total: 2046 });
  });

  it('adds a percent service fee rounded on the subtotal, or a fixed one', () => {
    const lines = [line(item('cheeseburger', 1099), 2), line(item('fries', 449), 1)];
    const percentFee: FeeSettings = { ...noFees, serviceFee: { kind: 'percent', percent: 3 } };
    // 2647 × 3 % = 79.41 → 79; total 2647 + 235 + 79
    expect(priceOrder(input(lines, { fees: percentFee })).totals).toMatchObject({ fee: 79, total: 2961 });
    const fixedFee: FeeSettings = { ...noFees, serviceFee: { kind: 'fixed', amount: 150 } };
    expect(priceOrder(input(lines, { fees: fixedFee })).totals).toMatchObject({ fee: 150, total: 3032 });
  });

  it('adds a tip as a percent of the subtotal or as an amount, never negative', () => {
    const lines = [line(item('cheeseburger', 1099), 2), line(item('fries', 449), 1)];
    // 15 % of 2647 = 397.05 → 397
    expect(priceOrder(input(lines, { tip: { kind: 'percent', percent: 15 } })).totals).toMatchObject({
      tip: 397,
      total: 3279,
    });
    expect(priceOrder(input(lines, { tip: { kind: 'amount', amount: 300 } })).totals).toMatchObject({
      tip: 300,
      total: 3182,
    });
    expect(priceOrder(input(lines, { tip: { kind: 'amount', amount: -100 } })).totals.tip).toBe(0);
    expect(priceOrder(input(lines, { tip: { kind: 'percent', percent: -10 } })).totals.tip).toBe(0);
  });

  it('ignores a tip when the shop does not take tips', () => {
    const noTips: FeeSettings = { ...noFees, tips: { enabled: false, suggestedPercents: [] } };
    const priced = priceOrder(
      input([line(item('fries', 449), 1)], { fees: noTips, tip: { kind: 'amount', amount: 200 } }),
    );
    expect(priced.totals).toMatchObject({ tip: 0, total: 489 });
  });

  it('prices an empty order as zero', () => {
    expect(priceOrder(input([])).totals).toEqual({
      itemsBase: 0,
      subtotal: 0,
      tax: 0,
      taxBreakdown: [],
      taxIncluded: false,
      fee: 0,
      tip: 0,
      total: 0,
    });
  });

  it('fails loudly on a tax rate the settings do not have', () => {
    expect(() => priceOrder(input([line(item('fries', 449), 1, { taxRateId: 'gone' })]))).toThrow(
      /Tax rate "gone"/,
    );
  });
});
