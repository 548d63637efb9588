import { z } from 'zod';
import type { CartRecord } from '../domain/cart.js';
import type { Store } from './database.js';

/** Reads and writes `carts`. */
export interface CartRepo {
  insert(cart: CartRecord): void;
  get(id: string): CartRecord | undefined;
  /** Writes a cart's new contents and expiry. */
  update(cart: CartRecord): void;
  delete(id: string): void;
  /** Deletes carts that expired at or before `nowMs`; returns how many. */
  deleteExpired(nowMs: number): number;
}

interface Row {
  id: string;
  api_key_id: string;
  data: string;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

// What `data` holds, checked when read back: the file may have been written by another build.
const dataSchema = z.object({
  items: z.array(
    z.object({
      ref: z.string(),
      itemId: z.string(),
      optionIds: z.array(z.string()),
      quantity: z.number().int(),
    }),
  ),
  buyer: z.record(z.string(), z.unknown()).optional(),
});

function toRecord(row: Row): CartRecord {
  const data = dataSchema.parse(JSON.parse(row.data));
  return {
    id: row.id,
    apiKeyId: row.api_key_id,
    items: data.items,
    buyer: data.buyer,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    expiresAt: new Date(row.expires_at),
  };
}

function dataOf(cart: CartRecord): string {
  return JSON.stringify({ items: cart.items, buyer: cart.buyer });
}

/** Creates the carts repository over an open store. */
export function createCartRepo({ store }: { store: Store }): CartRepo {
  const { db } = store;
  const insert = db.prepare(
    `INSERT INTO carts (id, api_key_id, data, created_at, updated_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const get = db.prepare('SELECT * FROM carts WHERE id = ?');
  const update = db.prepare('UPDATE carts SET data = ?, updated_at = ?, expires_at = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM carts WHERE id = ?');
  const removeExpired = db.prepare('DELETE FROM carts WHERE expires_at <= ?');
  return {
    insert(cart) {
      insert.run(
        cart.id,
        cart.apiKeyId,
        dataOf(cart),
        cart.createdAt.getTime(),
        cart.updatedAt.getTime(),
        cart.expiresAt.getTime(),
      );
    },
    get(id) {
      const row = get.get(id) as Row | undefined;
      return row === undefined ? undefined : toRecord(row);
    },
    update(cart) {
      update.run(dataOf(cart), cart.updatedAt.getTime(), cart.expiresAt.getTime(), cart.id);
    },
    delete(id) {
      remove.run(id);
    },
    deleteExpired: (nowMs) => removeExpired.run(nowMs).changes,
  };
}
