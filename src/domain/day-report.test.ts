import { describe, expect, it } from 'vitest';
import { menuItem } from '../../test/helpers/menu-item.js';
import { offerContext, promo } from '../../test/helpers/offer-fixtures.js';
import type { MenuItem } from './catalog.js';
import { channelOfSubject, dayReport, type ReportOrder } from './day-report.js';
import { PICKUP } from './delivery.js';
import { priceOrderWithOffers } from './offers.js';
import type { Order, OrderPayment } from './order.js';
import type { OrderState } from './order-lifecycle.js';
import { type PricingLine, priceOrder, type TipChoice } from './pricing.js';
import type { FeeSettings, TaxSettings } from './shop-settings.js';

const TAX: TaxSettings = {
  inclusive: false,
  defaultRateId: 'food',
  rates: [
    { id: 'food', name: 'Food', percent: 8.875 },
    { id: 'drinks', name: 'Drinks', percent: 10 },
  ],
};
const FEES: FeeSettings = {
  serviceFee: { kind: 'fixed', amount: 50 },
  tips: { enabled: true, suggestedPercents: [] },
};

function item(id: string, name: string, price: number): MenuItem {
  return menuItem({ id, name, price, categoryId: 'c', maxQuantity: 10 });
}
const BURGER = item('burger', 'Cheeseburger', 1099);
const FRIES = item('fries', 'Fries', 399);
const SODA = item('soda', 'Soda', 250);

let next = 0;
function order(p: {
  placed: string;
  state: OrderState;
  lines: [MenuItem, number, string?][];
  tip?: TipChoice;
  method?: OrderPayment['method'];
}): Order {
  next += 1;
  const lines: PricingLine[] = p.lines.map(([i, quantity, taxRateId]) => ({
    item: i,
    quantity,
    taxRateId,
    options: [],
  }));
  const tip = p.tip ?? { kind: 'none' };
  return {
    id: `ord_${next}`,
    code: `C${next}`,
    customerId: `cus_${next}`,
    state: p.state,
    lines: [],
    nextLine: 1,
    pickup: 'asap',
    pickupSlot: undefined,
    fulfillment: PICKUP,
    customerName: undefined,
    customerPhone: undefined,
    tip,
    currency: 'USD',
    priced: priceOrder({ lines, tax: TAX, fees: FEES, tip, currency: 'USD' }),
    createdAt: new Date(p.placed),
    updatedAt: new Date(p.placed),
    placedAt: new Date(p.placed),
    payment: { method: p.method ?? 'demo_card' },
    version: 1,
  };
}

/** Tuesday 24 November 2026 in New York (UTC−5): 05:00Z to 05:00Z the next day. */
const DAY = {
  day: '2026-11-24',
  from: new Date('2026-11-24T05:00:00Z'),
  until: new Date('2026-11-25T05:00:00Z'),
};
const localHour = (instant: Date) => (instant.getUTCHours() + 19) % 24;

function report(orders: ReportOrder[], asOf = DAY.until) {
  return dayReport({ ...DAY, timezone: 'America/New_York', currency: 'USD', asOf, orders, localHour });
}

describe('dayReport', () => {
  const counted = [
    order({
      placed: '2026-11-24T16:05:00Z',
      state: 'collected',
      lines: [
        [BURGER, 2],
        [SODA, 2, 'drinks'],
      ],
    }),
    order({
      placed: '2026-11-24T16:40:00Z',
      state: 'ready',
      lines: [
        [BURGER, 1],
        [FRIES, 1],
      ],
      tip: { kind: 'amount', amount: 300 },
      method: 'stripe',
    }),
    order({
      placed: '2026-11-24T23:10:00Z',
      state: 'refunded',
      lines: [
        [FRIES, 3],
        [SODA, 1, 'drinks'],
      ],
    }),
    order({ placed: '2026-11-25T04:59:00Z', state: 'paid', lines: [[BURGER, 1]], method: 'pay_at_pickup' }),
  ];
  const left = [
    // 23:55 on the 23rd, local: the previous day.
    order({ placed: '2026-11-24T04:55:00Z', state: 'collected', lines: [[BURGER, 5]] }),
    order({ placed: '2026-11-24T18:00:00Z', state: 'canceled', lines: [[BURGER, 1]] }),
    order({ placed: '2026-11-24T18:30:00Z', state: 'awaiting_confirmation', lines: [[FRIES, 1]] }),
  ];
  const entries: ReportOrder[] = [...counted, ...left].map((o, i) => ({
    order: o,
    channel: i === 1 ? 'acp' : 'mcp',
  }));
  const sum = (f: (o: Order) => number) => counted.reduce((s, o) => s + f(o), 0);

  it('totals equal the sum of the day’s paid orders, the refund and the tip included', () => {
    const r = report(entries);
    expect(r.orders).toBe(4);
    expect(r.gross).toBe(sum((o) => o.priced?.totals.total ?? 0));
    expect(r.items).toBe(sum((o) => o.priced?.totals.subtotal ?? 0));
    expect(r.tips).toBe(300);
    expect(r.fees).toBe(4 * 50);
    expect(r.discounts).toBe(0);
    const refunded = counted[2]?.priced?.totals.total ?? 0;
    expect(r.refunds).toEqual({ orders: 1, amount: refunded });
    expect(r.net).toBe(r.gross - refunded);
    expect(r.gross).toBe(r.items + r.tax.reduce((s, t) => s + t.amount, 0) + r.fees + r.tips);
  });

  it('splits tax per rate, and what the refund gave back', () => {
    const r = report(entries);
    const rate = (id: string) =>
      sum((o) => o.priced?.totals.taxBreakdown.find((t) => t.rateId === id)?.amount ?? 0);
    expect(r.tax.map((t) => [t.rateId, t.amount])).toEqual([
      ['drinks', rate('drinks')],
      ['food', rate('food')],
    ]);
    // 2 sodas at 10 % = 50; 1 soda refunded = 25.
    expect(r.tax.find((t) => t.rateId === 'drinks')).toMatchObject({ amount: 75, refunded: 25, net: 50 });
  });

  it('counts payment methods, channels, items and local hours', () => {
    const r = report(entries);
    const total = (i: number) => counted[i]?.priced?.totals.total ?? 0;
    expect(r.payments).toEqual([
      { method: 'demo_card', orders: 2, amount: total(0) + total(2) },
      { method: 'pay_at_pickup', orders: 1, amount: total(3) },
      { method: 'stripe', orders: 1, amount: total(1) },
    ]);
    expect(r.channels).toEqual([
      { channel: 'acp', orders: 1, amount: total(1) },
      { channel: 'mcp', orders: 3, amount: total(0) + total(2) + total(3) },
    ]);
    expect(r.itemsSold).toEqual([
      { itemId: 'burger', name: 'Cheeseburger', quantity: 4, amount: 4 * 1099 },
      { itemId: 'fries', name: 'Fries', quantity: 4, amount: 4 * 399 },
      { itemId: 'soda', name: 'Soda', quantity: 3, amount: 3 * 250 },
    ]);
    expect(r.hours.map((h) => [h.hour, h.orders])).toEqual([
      [11, 2],
      [18, 1],
      [23, 1],
    ]);
  });

  it('an X report covers the day up to its time only', () => {
    const r = report(entries, new Date('2026-11-24T17:00:00Z'));
    expect(r.orders).toBe(2);
    expect(r.asOf).toBe('2026-11-24T17:00:00.000Z');
  });

  it('tells the channel from the customer’s subject', () => {
    expect(channelOfSubject('acp:key_1')).toBe('acp');
    expect(channelOfSubject('staff:counter')).toBe('staff');
    expect(channelOfSubject('user-42')).toBe('mcp');
    expect(channelOfSubject(undefined)).toBe('mcp');
  });

  it('counts what a promo code took as discounts, adding it back to gross and items so net is what was charged', () => {
    const base = order({ placed: '2026-11-24T16:05:00Z', state: 'collected', lines: [[BURGER, 2]] });
    const lines: PricingLine[] = [{ item: BURGER, quantity: 2, taxRateId: undefined, options: [] }];
    const input = { lines, tax: TAX, fees: FEES, tip: { kind: 'none' as const }, currency: 'USD' };
    const ctx = offerContext({
      promoCodes: [promo('TEN', { kind: 'percent', percent: 10 })],
      codes: ['ten'],
    });
    const priced = priceOrderWithOffers(input, ctx);
    const r = report([{ order: { ...base, priced }, channel: 'mcp' }]);
    expect(priced.totals.discount).toBe(220); // 10 % of $21.98
    expect(r.discounts).toBe(220);
    expect(r.gross).toBe(priced.totals.total + 220);
    expect(r.items).toBe(2 * 1099);
    expect(r.net).toBe(priced.totals.total);
  });
});
