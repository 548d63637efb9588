import { describe, expect, it } from 'vitest';
import { demoOrders } from '../../test/helpers/demo-store.js';
import type { OrderState } from '../domain/order-lifecycle.js';
import { createSalesRepo, PLACED_BETWEEN_SQL } from './sales-repo.js';

describe('sales repository', () => {
  it('reads the sold and refunded orders of a span through the placing-time index', () => {
    const demo = demoOrders();
    const sales = createSalesRepo({ store: demo.store });
    const placeAt = (who: string, at: string, state: OrderState) => {
      const { order, priced } = demo.orders.create(
        { subject: who },
        [{ itemId: 'cheeseburger', quantity: 2 }],
        {},
      );
      // The states as the order service leaves them, written straight: only the placing time matters here.
      const moved = { ...order, state, priced, placedAt: new Date(at), version: order.version + 1 };
      expect(demo.ordersRepo.update(moved)).toBe(true);
    };
    placeAt('a', '2026-11-24T04:59:59Z', 'paid'); // before the span
    placeAt('b', '2026-11-24T05:00:00Z', 'collected');
    placeAt('c', '2026-11-24T12:00:00Z', 'refunded');
    placeAt('d', '2026-11-24T13:00:00Z', 'canceled');
    placeAt('e', '2026-11-24T14:00:00Z', 'awaiting_confirmation');
    placeAt('f', '2026-11-25T05:00:00Z', 'paid'); // the span's end is not in it
    demo.orders.create({ subject: 'g' }, [{ itemId: 'cheeseburger', quantity: 1 }], {}); // a cart

    const rows = sales.placedBetween(Date.parse('2026-11-24T05:00:00Z'), Date.parse('2026-11-25T05:00:00Z'));
    expect(rows.map((r) => [r.state, r.placedAt.toISOString()])).toEqual([
      ['collected', '2026-11-24T05:00:00.000Z'],
      ['refunded', '2026-11-24T12:00:00.000Z'],
    ]);
    expect(rows[0]?.priced?.lines[0]).toMatchObject({ itemId: 'cheeseburger', quantity: 2 });

    const plan = demo.store.db.prepare(`EXPLAIN QUERY PLAN ${PLACED_BETWEEN_SQL}`).all(0, 1) as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(
      /SEARCH o USING INDEX orders_placed \(placed_at>\? AND placed_at<\?\)/,
    );
    demo.store.close();
  });
});
