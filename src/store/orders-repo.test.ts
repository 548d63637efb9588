import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoOrders } from '../../test/helpers/demo-store.js';
import { tempDirs } from '../../test/helpers/temp-dirs.js';

const tempDir = tempDirs();

/** Pages the next commits write to the WAL, counted from an empty WAL. */
function walFrames(demo: ReturnType<typeof demoOrders>, write: () => void): number {
  demo.store.db.pragma('wal_autocheckpoint = 0');
  demo.store.db.pragma('wal_checkpoint(TRUNCATE)');
  write();
  const [result] = demo.store.db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
  return result?.log ?? Number.NaN;
}

describe('orders repository', () => {
  it('rewrites only the b-trees of the columns a move changed (each page written costs the SD card)', () => {
    const demo = demoOrders(undefined, join(tempDir('counterpi-orders-'), 'counterpi.db'));
    const sam = { subject: 'sam' };
    const cart = demo.orders.create(sam, [{ itemId: 'cheeseburger', quantity: 1 }], {});
    // Adding a line changes the lines, prices and times: no index holds any of them, so only the table's
    // pages are written (a leaf, at most an overflow page and the header); naming every column in the
    // UPDATE wrote all seven of the table's b-trees.
    const frames = walFrames(demo, () => {
      demo.orders.update(sam, cart.order.id, { addLines: [{ itemId: 'fries', quantity: 1 }] });
    });
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThanOrEqual(3);
    expect(demo.ordersRepo.get(cart.order.id)?.version).toBe(cart.order.version + 1);
    demo.store.close();
  });
});
