import type { Store } from './database.js';

export type PrintJobKind = 'ticket' | 'receipt';
export type PrintJobState = 'pending' | 'sending' | 'printed' | 'failed';

/** One document for the kitchen printer, as the `print_jobs` outbox holds it. */
export interface PrintJob {
  readonly id: number;
  readonly orderId: string;
  readonly kind: PrintJobKind;
  readonly state: PrintJobState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  /** Headed REPRINT: asked for, or an earlier attempt may have printed. */
  readonly reprint: boolean;
  readonly lastError: string | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The station part of an order's tickets; undefined for the main (expo) printer's ticket and receipts. */
  readonly station: StationPart | undefined;
  /** How many station tickets the order has besides this one's printer's: the expo ticket says so. */
  readonly parts: number;
}

/** One station's share of an order: frozen when the order is paid. */
export interface StationPart {
  /** The station, or undefined once it is gone (the ticket then prints on the main printer). */
  readonly stationId: number | undefined;
  readonly name: string;
  /** "Station 1 of 3". */
  readonly part: number;
  readonly parts: number;
  /** Indexes into the order's lines this station prepares. */
  readonly lines: readonly number[];
}

/** A new job: the main printer's (no station), or one station's share. */
export interface NewPrintJob {
  orderId: string;
  kind: PrintJobKind;
  reprint: boolean;
  nowMs: number;
  station?: StationPart;
  /** For the main printer's ticket: how many station tickets go with it. */
  parts?: number;
}

/** Reads and writes the `print_jobs` outbox. Times are epoch milliseconds. */
export interface PrintJobsRepo {
  enqueue(job: NewPrintJob): number;
  /**
   * The oldest pending job due at `nowMs` for one printer (`stationId`, undefined: the main printer),
   * leaving out the jobs `skip` names.
   */
  nextDue(nowMs: number, stationId: number | undefined, skip?: readonly number[]): PrintJob | undefined;
  /** pending → sending, one more attempt; false when the job was not pending. */
  markSending(id: number, nowMs: number): boolean;
  markPrinted(id: number, nowMs: number): void;
  /**
   * A ticket printed while its sending mark could not be written (the disk was full), recorded once it
   * can be: printed, one more attempt, and `note` saying so (a restart before this would have printed it
   * again without the REPRINT heading).
   */
  markPrintedLate(id: number, note: string, nowMs: number): void;
  /** sending (or, when its sending mark was never written, pending) → pending after a failed send; `reprint` only ever turns on. */
  markRetry(
    id: number,
    retry: { error: string; reprint: boolean; nextAttemptAt: number; nowMs: number },
  ): void;
  markFailed(id: number, error: string, nowMs: number): void;
  /** Holds every pending job of one printer until at least `untilMs` (that printer is away). */
  deferPending(untilMs: number, stationId: number | undefined): void;
  /** Jobs of stations not in `live` (removed, or left without a printer) go to the main printer. */
  rehome(live: readonly number[]): number;
  /** At start-up: jobs left in sending go back to pending, headed REPRINT, and everything pending is due. */
  recover(nowMs: number): { resent: number; pending: number };
  /** Jobs still to print (pending or sending), on every printer or on one. */
  waiting(stationId?: number | null): number;
  /** An order's jobs, oldest first. */
  forOrder(orderId: string): PrintJob[];
}

interface Row {
  id: number;
  order_id: string;
  kind: PrintJobKind;
  state: PrintJobState;
  attempts: number;
  next_attempt_at: number;
  reprint: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  station_id: number | null;
  station_name: string | null;
  part: number;
  parts: number;
  lines: string | null;
}

function stationOf(r: Row): StationPart | undefined {
  if (r.station_name === null) return undefined;
  return {
    stationId: r.station_id ?? undefined,
    name: r.station_name,
    part: r.part,
    parts: r.parts,
    lines: JSON.parse(r.lines ?? '[]') as number[],
  };
}

const toJob = (r: Row): PrintJob => ({
  id: r.id,
  orderId: r.order_id,
  kind: r.kind,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  reprint: r.reprint === 1,
  lastError: r.last_error ?? undefined,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  station: stationOf(r),
  parts: r.parts,
});

/** Creates the print jobs repository over an open store, its statements prepared once. */
export function createPrintJobsRepo({ store }: { store: Store }): PrintJobsRepo {
  const { db } = store;
  const q = {
    insert: db.prepare(
      `INSERT INTO print_jobs (order_id, kind, reprint, next_attempt_at, created_at, updated_at,
         station_id, station_name, part, parts, lines)
       VALUES (@orderId, @kind, @reprint, @nowMs, @nowMs, @nowMs, @stationId, @stationName, @part, @parts, @lines)`,
    ),
    nextDue: db.prepare(
      `SELECT * FROM print_jobs WHERE state = 'pending' AND next_attempt_at <= ? AND station_id IS ?
         AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT 1`,
    ),
    sending: db.prepare(
      "UPDATE print_jobs SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'",
    ),
    printed: db.prepare(
      "UPDATE print_jobs SET state = 'printed', last_error = NULL, updated_at = ? WHERE id = ? AND state = 'sending'",
    ),
    printedLate: db.prepare(
      `UPDATE print_jobs SET state = 'printed', attempts = attempts + (state = 'pending'), last_error = ?,
         updated_at = ? WHERE id = ? AND state IN ('pending', 'sending')`,
    ),
    retry: db.prepare(
      `UPDATE print_jobs SET state = 'pending', last_error = @error, reprint = max(reprint, @reprint),
         next_attempt_at = @nextAttemptAt, updated_at = @nowMs WHERE id = @id AND state IN ('sending', 'pending')`,
    ),
    failed: db.prepare("UPDATE print_jobs SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?"),
    defer: db.prepare(
      "UPDATE print_jobs SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at < ? AND station_id IS ?",
    ),
    rehome: db.prepare(
      `UPDATE print_jobs SET station_id = NULL WHERE station_id IS NOT NULL
         AND state IN ('pending', 'sending') AND station_id NOT IN (SELECT value FROM json_each(?))`,
    ),
    resend: db.prepare(
      "UPDATE print_jobs SET state = 'pending', reprint = 1, updated_at = ? WHERE state = 'sending'",
    ),
    due: db.prepare("UPDATE print_jobs SET next_attempt_at = ? WHERE state = 'pending'"),
    waiting: db.prepare("SELECT count(*) FROM print_jobs WHERE state IN ('pending', 'sending')").pluck(),
    waitingAt: db
      .prepare("SELECT count(*) FROM print_jobs WHERE state IN ('pending', 'sending') AND station_id IS ?")
      .pluck(),
    forOrder: db.prepare('SELECT * FROM print_jobs WHERE order_id = ? ORDER BY id'),
  };
  return {
    enqueue: (job) =>
      Number(
        q.insert.run({
          orderId: job.orderId,
          kind: job.kind,
          nowMs: job.nowMs,
          reprint: job.reprint ? 1 : 0,
          stationId: job.station?.stationId ?? null,
          stationName: job.station?.name ?? null,
          part: job.station?.part ?? 0,
          parts: job.station?.parts ?? job.parts ?? 0,
          lines: job.station === undefined ? null : JSON.stringify(job.station.lines),
        }).lastInsertRowid,
      ),
    nextDue(nowMs, stationId, skip = []) {
      const row = q.nextDue.get(nowMs, stationId ?? null, JSON.stringify(skip)) as Row | undefined;
      return row === undefined ? undefined : toJob(row);
    },
    markSending: (id, nowMs) => q.sending.run(nowMs, id).changes === 1,
    markPrinted(id, nowMs) {
      q.printed.run(nowMs, id);
    },
    markPrintedLate(id, note, nowMs) {
      q.printedLate.run(note, nowMs, id);
    },
    markRetry(id, retry) {
      q.retry.run({ id, ...retry, reprint: retry.reprint ? 1 : 0 });
    },
    markFailed(id, error, nowMs) {
      q.failed.run(error, nowMs, id);
    },
    deferPending(untilMs, stationId) {
      q.defer.run(untilMs, untilMs, stationId ?? null);
    },
    rehome: (live) => q.rehome.run(JSON.stringify(live)).changes,
    recover(nowMs) {
      return store.transaction(() => {
        const resent = q.resend.run(nowMs).changes;
        const pending = q.due.run(nowMs).changes;
        return { resent, pending };
      });
    },
    waiting: (stationId) =>
      (stationId === undefined ? q.waiting.get() : q.waitingAt.get(stationId)) as number,
    forOrder: (orderId) => (q.forOrder.all(orderId) as Row[]).map(toJob),
  };
}
