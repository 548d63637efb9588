import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { PICKUP } from '../domain/delivery.js';
import type { Customer, Order, OrderLine } from '../domain/order.js';
import type { OrderState } from '../domain/order-lifecycle.js';
import type { PricedOrder, TipChoice } from '../domain/pricing.js';
import type { Store } from './database.js';
import { PACKED_COLUMNS } from './packed-json.js';

/** Orders, their customers and the event trail of every state change. */
export interface OrdersRepo {
  customerBySubject(subject: string): Customer | undefined;
  /** The sign-in subject of a customer (`acp:…` for an ACP checkout's buyer). */
  subjectOf(customerId: string): string | undefined;
  insertCustomer(customer: Customer, nowMs: number): void;
  updateCustomerContact(id: string, name: string | undefined, phone: string | undefined, nowMs: number): void;
  get(id: string): Order | undefined;
  getByCode(code: string): Order | undefined;
  cartOf(customerId: string): Order | undefined;
  /** The customer's orders, newest first. */
  recentOf(customerId: string, limit: number): Order[];
  insert(order: Order): void;
  /** Writes `order` if the stored version is `order.version - 1`; false when someone else wrote first. */
  update(order: Order): boolean;
  /**
   * Appends to the order's trail, after the order's own write: what happened, from which state to
   * which, and who did it.
   */
  recordEvent(event: {
    orderId: string;
    event: string;
    from: OrderState | undefined;
    to: OrderState;
    actor: string;
    atMs: number;
  }): void;
  /** True when the order's trail has it collected (a refund after pickup still delivered the food). */
  wasCollected(orderId: string): boolean;
  /** Orders holding a pickup slot (placed and not yet collected or ended). */
  slotUsage(slotStartMs: number): number;
  /** Counts order writes made through this repository: a cache of slot usage is good while it holds. */
  writes(): number;
}

const paymentSchema = z.object({
  method: z.enum(['demo_card', 'pay_at_pickup', 'stripe', 'acp_delegated', 'counter_cash', 'counter_card']),
  reference: z.string().optional(),
});

const fulfillmentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pickup') }),
  z.object({
    type: z.literal('delivery'),
    address: z.object({
      name: z.string(),
      line1: z.string(),
      line2: z.string().optional(),
      city: z.string(),
      region: z.string(),
      country: z.string(),
      postalCode: z.string(),
      phone: z.string().optional(),
    }),
    leadMinutes: z.number().int().min(0),
  }),
]);

const lineSchema = z.object({
  lineId: z.string(),
  itemId: z.string(),
  quantity: z.number().int(),
  optionIds: z.array(z.string()),
  note: z.string().optional(),
});
const tipSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('percent'), percent: z.number() }),
  z.object({ kind: z.literal('amount'), amount: z.number().int() }),
]);
const linesSchema = z.array(lineSchema);
const promoCodesSchema = z.array(z.string());

interface OrderRow {
  id: string;
  code: string;
  customer_id: string;
  state: OrderState;
  lines: string;
  next_line: number;
  pickup: string;
  pickup_slot: number | null;
  fulfillment: string | null;
  customer_name: string | null;
  customer_phone: string | null;
  tip: string;
  currency: string;
  /** From order_prices, the row `priced_id` names: packed JSON (src/store/packed-json.ts). */
  priced: Buffer | null;
  priced_id: number | null;
  created_at: number;
  updated_at: number;
  placed_at: number | null;
  payment: string | null;
  promo_codes: string | null;
  version: number;
}

function toOrder(r: OrderRow): Order {
  return {
    id: r.id,
    code: r.code,
    customerId: r.customer_id,
    state: r.state,
    lines: linesSchema.parse(JSON.parse(r.lines)).map((l): OrderLine => ({ ...l, note: l.note })),
    nextLine: r.next_line,
    pickup: r.pickup,
    pickupSlot: r.pickup_slot === null ? undefined : new Date(r.pickup_slot),
    fulfillment: r.fulfillment === null ? PICKUP : fulfillmentSchema.parse(JSON.parse(r.fulfillment)),
    customerName: r.customer_name ?? undefined,
    customerPhone: r.customer_phone ?? undefined,
    tip: tipSchema.parse(JSON.parse(r.tip)) as TipChoice,
    currency: r.currency,
    // Written by this code from a PricedOrder and never edited by hand: a snapshot, not input.
    priced:
      r.priced === null ? undefined : (JSON.parse(PACKED_COLUMNS.prices.unpack(r.priced)) as PricedOrder),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    placedAt: r.placed_at === null ? undefined : new Date(r.placed_at),
    payment: r.payment === null ? undefined : paymentSchema.parse(JSON.parse(r.payment)),
    ...(r.promo_codes === null ? {} : { promoCodes: promoCodesSchema.parse(JSON.parse(r.promo_codes)) }),
    version: r.version,
  };
}

/** An order's columns as statement parameters, and its prices as JSON (kept in order_prices). */
type OrderParams = Record<string, string | number | null> & { readonly priced: string | null };

function toParams(o: Order): OrderParams {
  return {
    id: o.id,
    code: o.code,
    customer_id: o.customerId,
    state: o.state,
    lines: JSON.stringify(o.lines),
    next_line: o.nextLine,
    pickup: o.pickup,
    pickup_slot: o.pickupSlot?.getTime() ?? null,
    fulfillment: o.fulfillment.type === 'pickup' ? null : JSON.stringify(o.fulfillment),
    customer_name: o.customerName ?? null,
    customer_phone: o.customerPhone ?? null,
    tip: JSON.stringify(o.tip),
    currency: o.currency,
    priced: o.priced === undefined ? null : JSON.stringify(o.priced),
    total: o.priced?.totals.total ?? null,
    created_at: o.createdAt.getTime(),
    updated_at: o.updatedAt.getTime(),
    placed_at: o.placedAt?.getTime() ?? null,
    payment: o.payment === undefined ? null : JSON.stringify(o.payment),
    promo_codes:
      o.promoCodes === undefined || o.promoCodes.length === 0 ? null : JSON.stringify(o.promoCodes),
    version: o.version,
  };
}

const COLUMNS = [
  'id',
  'code',
  'customer_id',
  'state',
  'lines',
  'next_line',
  'pickup',
  'pickup_slot',
  'fulfillment',
  'customer_name',
  'customer_phone',
  'tip',
  'currency',
  'priced_id',
  'total',
  'created_at',
  'updated_at',
  'placed_at',
  'payment',
  'promo_codes',
  'version',
];

/**
 * The orders that hold a pickup slot: those placed and not yet collected, canceled or refunded. Found
 * through orders_slot, which holds every order with a slot; the state is read from the rows.
 */
export const SLOT_USAGE_SQL =
  "SELECT count(*) FROM orders WHERE pickup_slot = ? AND state IN ('awaiting_confirmation', 'paid', 'in_kitchen', 'ready')";

/**
 * An order's row with its prices. They are kept in order_prices, written when the order is placed and
 * not at each move after: in the order's row they took it over a page, and a row over a page is
 * rewritten whole, its overflow page and the free list with it, whenever its size changes (a state
 * of another length), so each move in the kitchen wrote six to eight pages instead of three.
 */
const SELECT_ORDERS = 'SELECT o.*, p.priced FROM orders o LEFT JOIN order_prices p ON p.id = o.priced_id';

/**
 * The ids of one order's events (its id is the parameter), as a `trail` to select from order_events
 * with `WHERE id IN trail`. They form a chain: the order names its last event, each event the one before
 * (migration 34). An index on the events' order ids took an entry at each move of every order, amid
 * those of the orders placed since: a page or more written per move, for a trail read only by webhooks
 * and refunds. Following the chain reads one row per event, by its rowid.
 */
export const ORDER_TRAIL_SQL = `WITH RECURSIVE trail(id) AS (
  SELECT last_event_id FROM orders WHERE id = ?
  UNION ALL SELECT e.prev_event_id FROM order_events e JOIN trail t ON e.id = t.id
)`;

/** Creates the orders repository with its statements prepared once. */
export function createOrdersRepo({ store }: { store: Store }): OrdersRepo {
  const { db } = store;
  const q = {
    customerBySubject: db.prepare('SELECT id, subject, name, phone FROM customers WHERE subject = ?'),
    subjectOf: db.prepare('SELECT subject FROM customers WHERE id = ?').pluck(),
    insertCustomer: db.prepare(
      'INSERT INTO customers (id, subject, name, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    updateCustomer: db.prepare('UPDATE customers SET name = ?, phone = ?, updated_at = ? WHERE id = ?'),
    get: db.prepare(`${SELECT_ORDERS} WHERE o.id = ?`),
    getByCode: db.prepare(`${SELECT_ORDERS} WHERE o.code = ?`),
    cartOf: db.prepare(`${SELECT_ORDERS} WHERE o.customer_id = ? AND o.state = 'cart'`),
    recentOf: db.prepare(
      `${SELECT_ORDERS} WHERE o.customer_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?`,
    ),
    insertPriced: db.prepare('INSERT INTO order_prices (priced) VALUES (?)'),
    deletePriced: db.prepare('DELETE FROM order_prices WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO orders (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
    ),
    event: db.prepare(
      `INSERT INTO order_events (order_id, at, event, from_state, to_state, actor, prev_event_id)
       VALUES (@orderId, @atMs, @event, @from, @to, @actor, (SELECT last_event_id FROM orders WHERE id = @orderId))`,
    ),
    lastEvent: db.prepare('UPDATE orders SET last_event_id = ? WHERE id = ?'),
    wasCollected: db
      .prepare(
        `${ORDER_TRAIL_SQL} SELECT count(*) FROM order_events WHERE id IN trail AND to_state = 'collected'`,
      )
      .pluck(),
    slotUsage: db.prepare(SLOT_USAGE_SQL).pluck(),
  };
  /**
   * An UPDATE that sets only the columns that changed: SQLite rewrites every index on a column named
   * in SET, changed or not, and an update naming all twenty columns rewrote every one of the
   * table's b-trees — the bytes an SD card pays for. One statement per set of columns, prepared once.
   */
  const updates = new Map<string, Statement>();
  function updateOf(columns: readonly string[]): Statement {
    const sql = `UPDATE orders SET ${[...columns, 'version']
      .map((c) => `${c} = @${c}`)
      .join(', ')} WHERE id = @id AND version = @version - 1`;
    let statement = updates.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      updates.set(sql, statement);
    }
    return statement;
  }
  /** Writes an order's prices in a row of their own, numbered in order; its id, or null for none. */
  function pricesRow(priced: string | null): number | null {
    if (priced === null) return null;
    return Number(q.insertPriced.run(PACKED_COLUMNS.prices.pack(priced)).lastInsertRowid);
  }
  let writes = 0;
  const one = (row: unknown) => (row === undefined ? undefined : toOrder(row as OrderRow));

  return {
    customerBySubject(subject) {
      const r = q.customerBySubject.get(subject) as
        | { id: string; subject: string; name: string | null; phone: string | null }
        | undefined;
      return r === undefined
        ? undefined
        : { id: r.id, subject: r.subject, name: r.name ?? undefined, phone: r.phone ?? undefined };
    },
    subjectOf: (customerId) => q.subjectOf.get(customerId) as string | undefined,
    insertCustomer(c, nowMs) {
      q.insertCustomer.run(c.id, c.subject, c.name ?? null, c.phone ?? null, nowMs, nowMs);
    },
    updateCustomerContact(id, name, phone, nowMs) {
      q.updateCustomer.run(name ?? null, phone ?? null, nowMs, id);
    },
    get: (id) => one(q.get.get(id)),
    getByCode: (code) => one(q.getByCode.get(code)),
    cartOf: (customerId) => one(q.cartOf.get(customerId)),
    recentOf: (customerId, limit) => (q.recentOf.all(customerId, limit) as OrderRow[]).map(toOrder),
    insert(order) {
      writes += 1;
      const params = toParams(order);
      q.insert.run({ ...params, priced_id: pricesRow(params.priced) });
    },
    update(order) {
      writes += 1;
      const params = toParams(order);
      const stored = q.get.get(order.id) as OrderRow | undefined;
      // The UPDATE tests the version too; tested first, a refused update writes no row of prices.
      if (stored === undefined || stored.version !== order.version - 1) return false;
      // New prices (an order placed again after a refusal) take a new row; the old one goes.
      const repriced =
        params.priced !== (stored.priced === null ? null : PACKED_COLUMNS.prices.unpack(stored.priced));
      const row: Record<string, unknown> = {
        ...params,
        priced_id: repriced ? pricesRow(params.priced) : stored.priced_id,
      };
      const before = stored as unknown as Record<string, unknown>;
      const changed = COLUMNS.filter((c) => c !== 'id' && c !== 'version' && row[c] !== before[c]);
      if (updateOf(changed).run(row).changes !== 1) return false;
      if (repriced && stored.priced_id !== null) q.deletePriced.run(stored.priced_id);
      return true;
    },
    recordEvent(e) {
      store.savepoint(() => {
        const { lastInsertRowid } = q.event.run({ ...e, from: e.from ?? null });
        // The order's page is written already, by the write this event follows.
        q.lastEvent.run(lastInsertRowid, e.orderId);
      });
    },
    wasCollected: (orderId) => (q.wasCollected.get(orderId) as number) > 0,
    slotUsage: (slotStartMs) => q.slotUsage.get(slotStartMs) as number,
    writes: () => writes,
  };
}
