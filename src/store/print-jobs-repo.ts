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
}

/** Reads and writes the `print_jobs` outbox. Times are epoch milliseconds. */
export interface PrintJobsRepo {
  enqueue(job: { orderId: string; kind: PrintJobKind; reprint: boolean; nowMs: number }): number;
  /** The oldest pending job due at `nowMs`, leaving out the jobs `skip` names. */
  nextDue(nowMs: number, skip?: readonly number[]): PrintJob | undefined;
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
  /** Holds every pending job until at least `untilMs` (the printer is away). */
  deferPending(untilMs: number): void;
  /** At start-up: jobs left in sending go back to pending, headed REPRINT, and everything pending is due. */
  recover(nowMs: number): { resent: number; pending: number };
  /** Jobs still to print (pending or sending). */
  waiting(): number;
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
});

/** Creates the print jobs repository over an open store, its statements prepared once. */
export function createPrintJobsRepo({ store }: { store: Store }): PrintJobsRepo {
  const { db } = store;
  const q = {
    insert: db.prepare(
      `INSERT INTO print_jobs (order_id, kind, reprint, next_attempt_at, created_at, updated_at)
       VALUES (@orderId, @kind, @reprint, @nowMs, @nowMs, @nowMs)`,
    ),
    nextDue: db.prepare(
      `SELECT * FROM print_jobs WHERE state = 'pending' AND next_attempt_at <= ?
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
      "UPDATE print_jobs SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at < ?",
    ),
    resend: db.prepare(
      "UPDATE print_jobs SET state = 'pending', reprint = 1, updated_at = ? WHERE state = 'sending'",
    ),
    due: db.prepare("UPDATE print_jobs SET next_attempt_at = ? WHERE state = 'pending'"),
    waiting: db.prepare("SELECT count(*) FROM print_jobs WHERE state IN ('pending', 'sending')").pluck(),
    forOrder: db.prepare('SELECT * FROM print_jobs WHERE order_id = ? ORDER BY id'),
  };
  return {
    enqueue: (job) => Number(q.insert.run({ ...job, reprint: job.reprint ? 1 : 0 }).lastInsertRowid),
    nextDue(nowMs, skip = []) {
      const row = q.nextDue.get(nowMs, JSON.stringify(skip)) as Row | undefined;
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
    deferPending(untilMs) {
      q.defer.run(untilMs, untilMs);
    },
    recover(nowMs) {
      return store.transaction(() => {
        const resent = q.resend.run(nowMs).changes;
        const pending = q.due.run(nowMs).changes;
        return { resent, pending };
      });
    },
    waiting: () => q.waiting.get() as number,
    forOrder: (orderId) => (q.forOrder.all(orderId) as Row[]).map(toJob),
  };
}
