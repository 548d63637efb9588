import type { Store } from './database.js';

/** One order's share at one station on the kitchen screen (station 0: a shop without stations). */
export interface KitchenCardRow {
  readonly orderId: string;
  readonly stationId: number;
  readonly stationName: string;
  /** Indexes into the order's lines, frozen when the order was paid. */
  readonly lines: readonly number[];
  readonly paidAt: number;
  readonly bumpedAt: number | undefined;
  readonly bumpSeq: number | undefined;
}

/** The screen's age timers, in minutes. */
export interface KitchenTimers {
  readonly amberMinutes: number;
  readonly redMinutes: number;
}

/** A kitchen action already answered, by its key. */
export interface KitchenActionRow {
  readonly action: 'bump' | 'recall';
  readonly outcome: string;
}

/** Reads and writes `kitchen_cards`, `kitchen_actions` and `kitchen_screen_settings`. */
export interface KitchenBoardRepo {
  addCard(card: Omit<KitchenCardRow, 'bumpedAt' | 'bumpSeq'>): void;
  /** Cards not bumped whose order is still being cooked (paid or in the kitchen), oldest paid first. */
  open(): KitchenCardRow[];
  forOrder(orderId: string): KitchenCardRow[];
  /** Marks the order's cards (at one station, or all) bumped; returns how many changed. */
  bump(orderId: string, stationId: number | undefined, nowMs: number): number;
  /** The order left the kitchen another way (bump button, dashboard, cancel …): its cards are closed, not bumped. */
  close(orderId: string, nowMs: number): void;
  /** The last bumped card at one station (or any), the one a recall undoes. */
  lastBumped(stationId: number | undefined): KitchenCardRow | undefined;
  /** Undoes one bump: every card it marked (an "All" bump marks an order's cards at once). */
  unbump(bumpSeq: number): void;
  action(key: string): KitchenActionRow | undefined;
  /** Keeps the action, and forgets those older than two days (no screen retries that late). */
  saveAction(key: string, row: KitchenActionRow, nowMs: number): void;
  timers(): KitchenTimers | undefined;
  saveTimers(timers: KitchenTimers): void;
}

interface Row {
  order_id: string;
  station_id: number;
  station_name: string;
  lines: string;
  paid_at: number;
  bumped_at: number | null;
  bump_seq: number | null;
}

const COLUMNS = 'c.order_id, c.station_id, c.station_name, c.lines, c.paid_at, c.bumped_at, c.bump_seq';

function toCard(r: Row): KitchenCardRow {
  return {
    orderId: r.order_id,
    stationId: r.station_id,
    stationName: r.station_name,
    lines: JSON.parse(r.lines) as number[],
    paidAt: r.paid_at,
    bumpedAt: r.bumped_at ?? undefined,
    bumpSeq: r.bump_seq ?? undefined,
  };
}

/** Creates the kitchen board repository, its statements prepared once. */
export function createKitchenBoardRepo({ store }: { store: Store }): KitchenBoardRepo {
  const { db } = store;
  const q = {
    add: db.prepare(
      `INSERT OR IGNORE INTO kitchen_cards (order_id, station_id, station_name, lines, paid_at)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    open: db.prepare(
      `SELECT ${COLUMNS} FROM kitchen_cards c JOIN orders o ON o.id = c.order_id
       WHERE c.bumped_at IS NULL AND o.state IN ('paid', 'in_kitchen') ORDER BY c.paid_at, c.order_id, c.station_id`,
    ),
    forOrder: db.prepare(`SELECT ${COLUMNS} FROM kitchen_cards c WHERE c.order_id = ? ORDER BY c.station_id`),
    bumpOne: db.prepare(
      `UPDATE kitchen_cards SET bumped_at = @now, bump_seq = (SELECT COALESCE(MAX(bump_seq), 0) + 1 FROM kitchen_cards WHERE bump_seq IS NOT NULL)
       WHERE order_id = @order AND station_id = @station AND bumped_at IS NULL`,
    ),
    bumpAll: db.prepare(
      `UPDATE kitchen_cards SET bumped_at = @now, bump_seq = (SELECT COALESCE(MAX(bump_seq), 0) + 1 FROM kitchen_cards WHERE bump_seq IS NOT NULL)
       WHERE order_id = @order AND bumped_at IS NULL`,
    ),
    lastAt: db.prepare(
      `SELECT ${COLUMNS} FROM kitchen_cards c WHERE c.station_id = ? AND c.bump_seq IS NOT NULL ORDER BY c.bump_seq DESC LIMIT 1`,
    ),
    lastAny: db.prepare(
      `SELECT ${COLUMNS} FROM kitchen_cards c WHERE c.bump_seq IS NOT NULL ORDER BY c.bump_seq DESC LIMIT 1`,
    ),
    unbump: db.prepare('UPDATE kitchen_cards SET bumped_at = NULL, bump_seq = NULL WHERE bump_seq = ?'),
    close: db.prepare('UPDATE kitchen_cards SET bumped_at = ? WHERE order_id = ? AND bumped_at IS NULL'),
    action: db.prepare('SELECT action, outcome FROM kitchen_actions WHERE key = ?'),
    forget: db.prepare('DELETE FROM kitchen_actions WHERE at < ?'),
    saveAction: db.prepare('INSERT INTO kitchen_actions (key, action, outcome, at) VALUES (?, ?, ?, ?)'),
    timers: db.prepare(
      'SELECT amber_minutes AS amberMinutes, red_minutes AS redMinutes FROM kitchen_screen_settings WHERE id = 1',
    ),
    saveTimers: db.prepare(
      `INSERT INTO kitchen_screen_settings (id, amber_minutes, red_minutes) VALUES (1, @amberMinutes, @redMinutes)
       ON CONFLICT (id) DO UPDATE SET amber_minutes = excluded.amber_minutes, red_minutes = excluded.red_minutes`,
    ),
  };
  return {
    addCard(card) {
      q.add.run(card.orderId, card.stationId, card.stationName, JSON.stringify(card.lines), card.paidAt);
    },
    open: () => (q.open.all() as Row[]).map(toCard),
    forOrder: (orderId) => (q.forOrder.all(orderId) as Row[]).map(toCard),
    bump(orderId, stationId, nowMs) {
      const run =
        stationId === undefined
          ? q.bumpAll.run({ now: nowMs, order: orderId })
          : q.bumpOne.run({ now: nowMs, order: orderId, station: stationId });
      return run.changes;
    },
    lastBumped(stationId) {
      const row = (stationId === undefined ? q.lastAny.get() : q.lastAt.get(stationId)) as Row | undefined;
      return row === undefined ? undefined : toCard(row);
    },
    unbump: (bumpSeq) => {
      q.unbump.run(bumpSeq);
    },
    action: (key) => q.action.get(key) as KitchenActionRow | undefined,
    close: (orderId, nowMs) => {
      q.close.run(nowMs, orderId);
    },
    saveAction(key, row, nowMs) {
      q.forget.run(nowMs - 2 * 86_400_000);
      q.saveAction.run(key, row.action, row.outcome, nowMs);
    },
    timers: () => q.timers.get() as KitchenTimers | undefined,
    saveTimers(timers) {
      q.saveTimers.run(timers);
    },
  };
}
