import { describe, expect, it } from 'vitest';
import { demoOrders } from '../../test/helpers/demo-store.js';
import { NEWEST_RECORD_SQL, newestRecordMs } from './newest-record.js';

const T0 = Date.parse('2026-11-24T17:00:00Z');
const HOUR_MS = 60 * 60_000;
const sam = { subject: 'sam' };

describe('the newest record', () => {
  it('is none in a shop that has written no order, event or audit row', () => {
    expect(newestRecordMs(demoOrders().store)).toBeUndefined();
  });

  it('is the latest of the last order event, the latest placed order and the last audit row', () => {
    const { store, clock, orders } = demoOrders();
    const order = orders.create(sam, [{ itemId: 'fries', quantity: 1 }], { customerName: 'Sam' });
    expect(newestRecordMs(store)).toBe(T0);
    clock.advance(HOUR_MS);
    orders.place(sam, order.order.id);
    expect(newestRecordMs(store)).toBe(T0 + HOUR_MS);
    store.db
      .prepare(
        "INSERT INTO audit_log (at, actor_kind, action, outcome, prev_hash, hash) VALUES (?, 'system', 'test', 'ok', '', '')",
      )
      .run(T0 + 2 * HOUR_MS);
    expect(newestRecordMs(store)).toBe(T0 + 2 * HOUR_MS);
  });

  it('costs a few b-tree descents, never a scan of a table, however many rows the shop keeps', () => {
    const { store } = demoOrders();
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${NEWEST_RECORD_SQL}`).all() as { detail: string }[];
    expect(plan.length).toBeGreaterThan(0);
    // SQLite's one "row" of a SELECT without FROM is the only scan.
    const scans = plan.map((step) => step.detail).filter((detail) => detail.startsWith('SCAN'));
    expect(scans).toEqual(['SCAN CONSTANT ROW']);
  });
});
