import { describe, expect, it } from 'vitest';
import type { Order } from '../../domain/order.js';
import type { OrderTotals, PricedOrder } from '../../domain/pricing.js';
import { paymentLinesOf, paymentRequestFor } from './payment-request.js';

function priced(totals: Partial<OrderTotals>): PricedOrder {
  const line = (name: string, unitPrice: number, quantity: number, options: string[] = []) => ({
    itemId: name.toLowerCase(),
    name,
    quantity,
    options: options.map((o) => ({ id: o.toLowerCase(), name: o, price: 0 })),
    note: undefined,
    taxRateId: 'food',
    unitPrice,
    lineTotal: unitPrice * quantity,
  });
  return {
    currency: 'USD',
    lines: [line('Cheeseburger', 850, 2, ['No onions', 'Bacon']), line('Fries', 350, 1)],
    totals: {
      itemsBase: 2050,
      subtotal: 2050,
      tax: 182,
      taxBreakdown: [],
      taxIncluded: false,
      fee: 0,
      tip: 0,
      total: 2232,
      ...totals,
    },
  };
}

describe('payment lines', () => {
  it('lists items with options, then tax, fee and tip, adding up to the total', () => {
    expect(paymentLinesOf(priced({ fee: 100, tip: 300, total: 2632 }), 'K7M2')).toEqual([
      { name: 'Cheeseburger (No onions, Bacon)', quantity: 2, unitAmount: 850 },
      { name: 'Fries', quantity: 1, unitAmount: 350 },
      { name: 'Tax', quantity: 1, unitAmount: 182 },
      { name: 'Service fee', quantity: 1, unitAmount: 100 },
      { name: 'Tip', quantity: 1, unitAmount: 300 },
    ]);
  });

  it('leaves out tax already in the prices', () => {
    const lines = paymentLinesOf(priced({ taxIncluded: true, total: 2050 }), 'K7M2');
    expect(lines.map((l) => l.name)).toEqual(['Cheeseburger (No onions, Bacon)', 'Fries']);
  });

  it('falls back to one line for the total when the lines would not add up to it', () => {
    expect(paymentLinesOf(priced({ total: 2233 }), 'K7M2')).toEqual([
      { name: 'Order K7M2', quantity: 1, unitAmount: 2233 },
    ]);
  });

  it('builds a request from a placed order only', () => {
    const order = { id: 'ord_1', code: 'K7M2', state: 'awaiting_confirmation', priced: priced({}) } as Order;
    const options = {
      attempt: 1,
      method: 'online' as const,
      returnPath: '/c/x',
      expiresAt: new Date('2026-11-24T17:10:00Z'),
    };
    expect(paymentRequestFor(order, options)).toMatchObject({
      orderId: 'ord_1',
      orderCode: 'K7M2',
      amount: { amount: 2232, currency: 'USD' },
    });
    expect(() => paymentRequestFor({ ...order, state: 'cart' }, options)).toThrow(/not placed/);
  });
});
