import { describe, expect, it } from 'vitest';
import type { OrderState } from './order-lifecycle.js';
import type { PricedLine, PricedOrder } from './pricing.js';
import { type SaleRecord, summarizeSales, weekStart } from './sales-summary.js';
import { createShopCalendar } from './shop-calendar.js';

const calendar = createShopCalendar({
  timezone: 'America/New_York',
  weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  exceptions: [],
});

function line(itemId: string, name: string, quantity: number, unitPrice: number): PricedLine {
  return {
    itemId,
    name,
    quantity,
    options: [],
    note: undefined,
    taxRateId: 'std',
    unitPrice,
    lineTotal: unitPrice * quantity,
  };
}

function priced(lines: PricedLine[]): PricedOrder {
  const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);
  return {
    currency: 'USD',
    lines,
    totals: {
      itemsBase: subtotal,
      subtotal,
      tax: 0,
      taxBreakdown: [],
      taxIncluded: false,
      fee: 0,
      tip: 0,
      total: subtotal,
    },
  };
}

const burger = (quantity = 1) => line('burger', 'Cheeseburger', quantity, 1000);
function order(at: string, state: OrderState = 'paid', lines = [burger()]): SaleRecord {
  return { state, placedAt: new Date(at), currency: 'USD', priced: priced(lines) };
}

const day = (firstDate: string, orders: SaleRecord[]) =>
  summarizeSales({ orders, calendar, currency: 'USD', firstDate, days: 1, top: 5 });

describe('summarizeSales', () => {
  it('counts paid orders per local hour across midnight and the autumn DST change', () => {
    // 2026-11-01 in New York: 01:00–01:59 happens twice (EDT, then EST), the day has 25 hours.
    const summary = day('2026-11-01', [
      order('2026-11-01T03:59:00Z'), // 23:59 on Oct 31: the day before
      order('2026-11-01T04:00:00Z'), // 00:00
      order('2026-11-01T05:30:00Z', 'collected'), // 01:30 EDT
      order('2026-11-01T06:30:00Z', 'in_kitchen'), // 01:30 EST, the same wall hour again
      order('2026-11-01T07:10:00Z', 'ready'), // 02:10 EST
      order('2026-11-01T16:00:00Z', 'canceled'),
      order('2026-11-01T16:01:00Z', 'expired'),
      order('2026-11-01T16:02:00Z', 'awaiting_confirmation'),
      order('2026-11-01T16:03:00Z', 'cart'),
      order('2026-11-01T17:00:00Z', 'refunded', [burger(3)]),
      order('2026-11-02T04:59:00Z'), // 23:59 EST
      order('2026-11-02T05:00:00Z'), // 00:00 on Nov 2: the day after
    ]);
    const expected = new Array(24).fill(0);
    expected[0] = 1;
    expected[1] = 2;
    expected[2] = 1;
    expected[23] = 1;
    expect(summary.perHour).toEqual(expected);
    expect(summary.orders).toBe(5);
    expect(summary.amount).toBe(5000);
    expect(summary.refunds).toEqual({ orders: 1, amount: 3000 });
    expect(summary.perDay).toEqual([{ date: '2026-11-01', weekday: 'sun', orders: 5 }]);
    // The refunded order's three burgers are not sold.
    expect(summary.topByQuantity).toEqual([
      { itemId: 'burger', name: 'Cheeseburger', quantity: 5, amount: 5000 },
    ]);
  });

  it('leaves the hour skipped in spring empty', () => {
    // 2026-03-08 in New York: 01:59 EST is followed by 03:00 EDT.
    const summary = day('2026-03-08', [
      order('2026-03-08T06:59:00Z'),
      order('2026-03-08T07:00:00Z'),
      order('2026-03-08T07:30:00Z'),
    ]);
    expect(summary.perHour.slice(0, 5)).toEqual([0, 1, 0, 2, 0]);
  });

  it('counts a week per day and per hour of day, and ranks items by quantity and by amount', () => {
    const fries = (q: number) => line('fries', 'Fries', q, 300);
    const steak = (q: number) => line('steak', 'Steak', q, 2500);
    const summary = summarizeSales({
      calendar,
      currency: 'USD',
      firstDate: weekStart('2026-10-29'),
      days: 7,
      top: 2,
      orders: [
        order('2026-10-26T16:00:00Z', 'paid', [fries(4), steak(1)]), // Mon 12:00 EDT
        order('2026-10-28T16:30:00Z', 'collected', [fries(3), burger(2)]), // Wed 12:30
        order('2026-11-01T17:15:00Z', 'ready', [steak(2)]), // Sun 12:15 EST
        order('2026-11-02T17:15:00Z', 'paid', [steak(9)]), // the next Monday
        { ...order('2026-10-27T16:00:00Z', 'paid', [steak(9)]), currency: 'EUR' },
      ],
    });
    expect(summary.dates[0]).toBe('2026-10-26');
    expect(summary.perDay.map((d) => d.orders)).toEqual([1, 0, 1, 0, 0, 0, 1]);
    expect(summary.perDay.map((d) => d.weekday)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    expect(summary.perHour[12]).toBe(3);
    expect(summary.perHour.reduce((a, b) => a + b, 0)).toBe(3);
    expect(summary.topByQuantity.map((i) => [i.name, i.quantity])).toEqual([
      ['Fries', 7],
      ['Steak', 3],
    ]);
    expect(summary.topByAmount.map((i) => [i.name, i.amount])).toEqual([
      ['Steak', 7500],
      ['Fries', 2100],
    ]);
  });
});

describe('weekStart', () => {
  it('is the Monday of the date’s week', () => {
    expect(weekStart('2026-11-01')).toBe('2026-10-26');
    expect(weekStart('2026-10-26')).toBe('2026-10-26');
    expect(weekStart('2027-01-02')).toBe('2026-12-28');
  });
});
