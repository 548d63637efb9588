import { z } from 'zod';
import type { StampReward } from '../domain/offer-types.js';
import type { StampCard } from '../domain/stamp-card.js';
import type { Store } from './database.js';

/** The stamp card's settings and the customers' stamps. */
export interface StampsRepo {
  /** The owner's card; undefined until it was first saved. */
  card(): StampCard | undefined;
  saveCard(card: StampCard, nowMs: number): void;
  /** Stamps of `subject` not spent on a reward (nor held for one). */
  freeCount(subject: string): number;
  /** A stamp for a paid order; a second one for the same order is ignored. */
  addStamp(orderId: string, subject: string, atMs: number): void;
  /**
   * Spends the `count` oldest free stamps of `subject` on `orderId` in one statement, or none when fewer
   * are left (another order took them first). True when they are spent on it (again, or now).
   */
  spend(orderId: string, subject: string, count: number): boolean;
  /** Gives back the stamps spent on `orderId` (its confirmation ended without payment, or it was refunded). */
  giveBack(orderId: string): number;
  /** Removes the stamp `orderId` earned, unless it was already spent on a reward. */
  removeUnspent(orderId: string): number;
}

const reward = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('item'), itemId: z.string().min(1) }),
  z.object({ kind: z.literal('amount'), amount: z.number().int().min(1) }),
]);

interface CardRow {
  enabled: number;
  minimum: number;
  stamps: number;
  reward: string;
}

/** Creates the stamps repository with its statements prepared once. */
export function createStampsRepo({ store }: { store: Store }): StampsRepo {
  const { db } = store;
  const q = {
    card: db.prepare('SELECT enabled, minimum, stamps, reward FROM stamp_card WHERE id = 1'),
    save: db.prepare(
      `INSERT INTO stamp_card (id, enabled, minimum, stamps, reward, updated_at) VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, minimum = excluded.minimum,
         stamps = excluded.stamps, reward = excluded.reward, updated_at = excluded.updated_at`,
    ),
    free: db.prepare('SELECT COUNT(*) FROM stamps WHERE subject = ? AND reward_order_id IS NULL').pluck(),
    add: db.prepare('INSERT OR IGNORE INTO stamps (order_id, subject, at) VALUES (?, ?, ?)'),
    spentOn: db.prepare('SELECT COUNT(*) FROM stamps WHERE reward_order_id = ?').pluck(),
    // The count is read and written in one statement: SQLite has one writer at a time, so two orders
    // racing for the same stamps cannot both have them.
    spend: db.prepare(
      `UPDATE stamps SET reward_order_id = @orderId
       WHERE order_id IN (SELECT order_id FROM stamps WHERE subject = @subject AND reward_order_id IS NULL
                          ORDER BY at, order_id LIMIT @count)
         AND (SELECT COUNT(*) FROM stamps WHERE subject = @subject AND reward_order_id IS NULL) >= @count`,
    ),
    giveBack: db.prepare('UPDATE stamps SET reward_order_id = NULL WHERE reward_order_id = ?'),
    remove: db.prepare('DELETE FROM stamps WHERE order_id = ? AND reward_order_id IS NULL'),
  };
  return {
    card() {
      const row = q.card.get() as CardRow | undefined;
      if (row === undefined) return undefined;
      const parsed: StampReward = reward.parse(JSON.parse(row.reward));
      return { enabled: row.enabled === 1, minimum: row.minimum, stamps: row.stamps, reward: parsed };
    },
    saveCard(card, nowMs) {
      q.save.run(card.enabled ? 1 : 0, card.minimum, card.stamps, JSON.stringify(card.reward), nowMs);
    },
    freeCount: (subject) => q.free.get(subject) as number,
    addStamp(orderId, subject, atMs) {
      q.add.run(orderId, subject, atMs);
    },
    spend(orderId, subject, count) {
      if ((q.spentOn.get(orderId) as number) >= count) return true;
      return q.spend.run({ orderId, subject, count }).changes === count;
    },
    giveBack: (orderId) => q.giveBack.run(orderId).changes,
    removeUnspent: (orderId) => q.remove.run(orderId).changes,
  };
}
