import { REPORTED_STATES } from '../domain/day-report.js';
import type { Store } from './database.js';

/** A closed day as stored: the report's canonical JSON and the audit row that seals it. */
export interface DayCloseRow {
  readonly day: string;
  readonly closedAt: number;
  readonly closedBy: string;
  readonly report: string;
  readonly sha256: string;
  readonly auditSeq: number;
}

/** The days closed (Z reports) and the orders a day's report reads. */
export interface DayClosesRepo {
  get(day: string): DayCloseRow | undefined;
  /** Closed days, newest first. */
  recent(limit: number): DayCloseRow[];
  /** False when the day was closed already (the first close stands). */
  insert(row: DayCloseRow): boolean;
  /** Ids of orders placed in [fromMs, untilMs) that reached a reported state, oldest first. */
  reportedOrderIds(fromMs: number, untilMs: number): string[];
}

interface Row {
  day: string;
  closed_at: number;
  closed_by: string;
  report: string;
  sha256: string;
  audit_seq: number;
}

const toRow = (r: Row): DayCloseRow => ({
  day: r.day,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  report: r.report,
  sha256: r.sha256,
  auditSeq: r.audit_seq,
});

/** Creates the day closes repository with its statements prepared once. */
export function createDayClosesRepo({ store }: { store: Store }): DayClosesRepo {
  const { db } = store;
  const states = [...REPORTED_STATES].map((s) => `'${s}'`).join(', ');
  const q = {
    get: db.prepare('SELECT * FROM day_closes WHERE day = ?'),
    recent: db.prepare('SELECT * FROM day_closes ORDER BY day DESC LIMIT ?'),
    insert: db.prepare(
      `INSERT INTO day_closes (day, closed_at, closed_by, report, sha256, audit_seq)
       VALUES (@day, @closedAt, @closedBy, @report, @sha256, @auditSeq) ON CONFLICT (day) DO NOTHING`,
    ),
    // orders_placed (placed_at) bounds the scan to the day.
    orders: db
      .prepare(
        `SELECT id FROM orders WHERE placed_at >= ? AND placed_at < ? AND state IN (${states}) ORDER BY placed_at, id`,
      )
      .pluck(),
  };
  return {
    get(day) {
      const r = q.get.get(day) as Row | undefined;
      return r === undefined ? undefined : toRow(r);
    },
    recent: (limit) => (q.recent.all(limit) as Row[]).map(toRow),
    insert: (row) => q.insert.run(row).changes === 1,
    reportedOrderIds: (fromMs, untilMs) => q.orders.all(fromMs, untilMs) as string[],
  };
}
