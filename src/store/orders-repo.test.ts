import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoOrders } from '../../test/helpers/demo-store.js';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { pagesOf, walPages } from '../../test/helpers/wal-pages.js';
import type { OrderEvent } from '../domain/order-lifecycle.js';
import type { LineInput } from '../services/orders/order-types.js';
import { ORDER_TRAIL_SQL, SLOT_USAGE_SQL } from './orders-repo.js';
import { PAGE_SIZE } from './page-size.js';

const tempDir = tempDirs();
const sam = { subject: 'sam' };
type Shop = ReturnType<typeof demoOrders>;

/** The demo shop's orders on a database file, whose WAL the tests read. */
function fileShop(): Shop {
  return demoOrders(undefined, join(tempDir('counterpi-orders-'), 'counterpi.db'));
}

/** Sam's order of `lines`, placed and paid; its id. */
function paidOrder(demo: Shop, lines: LineInput[] = [{ itemId: 'cheeseburger', quantity: 1 }]): string {
  const { order } = demo.orders.create(sam, lines, { customerName: 'Sam' });
  demo.orders.place(sam, order.id);
  demo.orders.transitionById(order.id, 'approve', 'test', { method: 'demo_card' });
  return order.id;
}

/** The pages each move through the kitchen writes, from printed to collected. */
function kitchenMoves(demo: Shop, orderId: string): [OrderEvent, number[]][] {
  const moves: OrderEvent[] = ['print', 'mark_ready', 'collect'];
  return moves.map((event) => [
    event,
    walPages(demo.store, () => demo.orders.transitionById(orderId, event, 'test')),
  ]);
}

describe('orders repository', () => {
  it('rewrites only the b-trees of the columns a move changed (each page written costs the SD card)', () => {
    const demo = fileShop();
    const cart = demo.orders.create(sam, [{ itemId: 'cheeseburger', quantity: 1 }], {});
    // Adding a line changes the lines, prices and times: no index holds any of them, so only the table's
    // pages are written (a leaf, at most an overflow page and the header); naming every column in the
    // UPDATE wrote all seven of the table's b-trees.
    const frames = walPages(demo.store, () => {
      demo.orders.update(sam, cart.order.id, { addLines: [{ itemId: 'fries', quantity: 1 }] });
    }).length;
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThanOrEqual(3);
    expect(demo.ordersRepo.get(cart.order.id)?.version).toBe(cart.order.version + 1);
    demo.store.close();
  });

  it("counts a pickup slot's orders without writing its index at each move in the kitchen", () => {
    const demo = fileShop();
    const orderId = paidOrder(demo);
    const slot = demo.ordersRepo.get(orderId)?.pickupSlot?.getTime() ?? Number.NaN;
    expect(demo.ordersRepo.slotUsage(slot)).toBe(1);

    const slotIndex = pagesOf(demo.store, 'orders_slot');
    for (const [event, written] of kitchenMoves(demo, orderId)) {
      expect(written.length, event).toBeGreaterThan(0);
      expect(
        written.filter((page) => slotIndex.has(page)),
        event,
      ).toEqual([]);
    }
    // Collected, it no longer takes a place in its slot.
    expect(demo.ordersRepo.slotUsage(slot)).toBe(0);
    const plan = demo.store.db.prepare(`EXPLAIN QUERY PLAN ${SLOT_USAGE_SQL}`).all(slot) as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(
      /SEARCH orders USING INDEX orders_slot \(pickup_slot=\?\)/,
    );
    demo.store.close();
  });

  it('moves an order through the kitchen writing two pages a move, its prices over a page untouched', () => {
    const demo = fileShop();
    const lines = ['cheeseburger', 'fries', 'cheeseburger'].map((itemId) => ({ itemId, quantity: 1 }));
    const orderId = paidOrder(demo, lines);
    const priced = demo.ordersRepo.get(orderId)?.priced;
    expect(priced?.lines).toHaveLength(3);
    // With them the order's row would be over a page: rewritten whole, with its overflow page, the
    // free list and the header, whenever a state of another length changed its size.
    const pricesBytes = demo.store.db
      .prepare(
        "SELECT length(unpacked_json('prices', p.priced)) FROM orders o JOIN order_prices p ON p.id = o.priced_id WHERE o.id = ?",
      )
      .pluck()
      .get(orderId) as number;
    expect(pricesBytes).toBeGreaterThan(PAGE_SIZE);

    const prices = pagesOf(demo.store, 'order_prices');
    for (const [event, written] of kitchenMoves(demo, orderId)) {
      // The order's page and its event; no overflow, free-list or header page.
      expect(written.length, event).toBeLessThanOrEqual(2);
      expect(
        written.filter((page) => page === 1 || prices.has(page)),
        event,
      ).toEqual([]);
    }
    expect(demo.ordersRepo.get(orderId)).toMatchObject({ state: 'collected', priced });
    demo.store.close();
  });

  it("follows an order's trail through the chain of its events, with no index on them to write", () => {
    const demo = fileShop();
    const ann = { subject: 'ann' };
    const first = paidOrder(demo);
    const { order: second } = demo.orders.create(ann, [{ itemId: 'fries', quantity: 1 }], {
      customerName: 'Ann',
    });
    // The two orders' moves interleave, as a busy kitchen's do.
    demo.orders.transitionById(first, 'print', 'test');
    demo.orders.place(ann, second.id);
    demo.orders.transitionById(first, 'mark_ready', 'test');
    demo.orders.transitionById(first, 'collect', 'test');
    demo.orders.transitionById(second.id, 'approve', 'test', { method: 'demo_card' });

    const trail = (orderId: string) =>
      demo.store.db
        .prepare(`${ORDER_TRAIL_SQL} SELECT event FROM order_events WHERE id IN trail ORDER BY id`)
        .pluck()
        .all(orderId);
    expect(trail(first)).toEqual(['create', 'place', 'approve', 'print', 'mark_ready', 'collect']);
    expect(trail(second.id)).toEqual(['create', 'place', 'approve']);
    expect(demo.ordersRepo.wasCollected(first)).toBe(true);
    expect(demo.ordersRepo.wasCollected(second.id)).toBe(false);
    expect(trail('ord_none')).toEqual([]);

    const indexes = demo.store.db.prepare("SELECT name FROM pragma_index_list('order_events')").pluck().all();
    expect(indexes).toEqual([]);
    // Each step of the chain is a rowid lookup: no scan of every order's events.
    const plan = demo.store.db
      .prepare(`EXPLAIN QUERY PLAN ${ORDER_TRAIL_SQL} SELECT id FROM order_events WHERE id IN trail`)
      .all(first) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/SCAN e\b|SCAN order_events/);
    demo.store.close();
  });

  it('keeps one row of prices per order when it is placed again after a refusal', () => {
    const demo = fileShop();
    const { order } = demo.orders.create(sam, [{ itemId: 'cheeseburger', quantity: 1 }], {
      customerName: 'Sam',
    });
    const rows = () => demo.store.db.prepare('SELECT count(*) FROM order_prices').pluck().get();
    const pricedId = () =>
      demo.store.db.prepare('SELECT priced_id FROM orders WHERE id = ?').pluck().get(order.id);
    demo.orders.place(sam, order.id);
    expect(rows()).toBe(1);
    const first = pricedId();
    demo.orders.transitionById(order.id, 'deny', 'test');
    expect(demo.ordersRepo.get(order.id)?.state).toBe('cart');
    demo.orders.update(sam, order.id, { addLines: [{ itemId: 'fries', quantity: 1 }] });
    demo.orders.place(sam, order.id);
    expect(demo.ordersRepo.get(order.id)?.priced?.lines.map((l) => l.itemId)).toEqual([
      'cheeseburger',
      'fries',
    ]);
    expect(rows()).toBe(1);
    expect(pricedId()).not.toBe(first);
    demo.store.close();
  });
});
