import { PrinterError, type PrinterPort, type PrintOut } from '../../devices/printer.js';
import { isAppError } from '../../domain/app-error.js';
import type { Order } from '../../domain/order.js';
import type { OrderEvent, OrderState } from '../../domain/order-lifecycle.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { Store } from '../../store/database.js';
import type { PrintJob, PrintJobsRepo } from '../../store/print-jobs-repo.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { ShopService } from '../shop/shop-service.js';
import type { OwedWrites } from './print-owed.js';
import type { SendingMarks } from './sending-marks.js';
import { renderTicket } from './ticket.js';

/** States an order's first ticket prints in; reprints and receipts also print for orders already done. */
const FIRST_TICKET: ReadonlySet<OrderState> = new Set(['paid', 'in_kitchen']);
/** States an order's ticket may be printed again in. */
export const REPRINTABLE: ReadonlySet<OrderState> = new Set(['paid', 'in_kitchen', 'ready', 'collected']);

/** The parts the print queue is built from. */
export interface PrintParts {
  readonly store: Store;
  readonly jobs: PrintJobsRepo;
  readonly orders: {
    get(orderId: string): Order | undefined;
    apply(orderId: string, event: OrderEvent, actor: string): Order;
  };
  readonly shop: ShopService;
  readonly menu: MenuCache;
  /** The order's page, for the QR code on the ticket. */
  readonly orderUrl: (orderId: string) => string;
  /** Whether staff keyed the order in (a phone or counter order); the ticket says so. */
  readonly staffEntered?: (order: Order) => boolean;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * One printer's lane of the queue: its parts, its timings and its state between passes. The main
 * printer and each station's printer have their own, so one printer away never holds up another's tickets.
 */
export interface PrintPass extends PrintParts {
  readonly printer: PrinterPort;
  /** The station whose printer this is; undefined for the main (expo) printer. */
  readonly station: number | undefined;
  readonly sendTimeoutMs: number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  /** Records the disk had no room for yet: written at the start of each pass. */
  readonly owed: OwedWrites;
  /** The lanes' durable sending marks, one commit for the marks of one turn. */
  readonly marks: SendingMarks;
  readonly state: PrintState;
}

/** The queue's state between passes. */
export interface PrintState {
  poll: NodeJS.Timeout | undefined;
  holdTimer: NodeJS.Timeout | undefined;
  /** The pass under way; `again` asks for one more after it. */
  running: Promise<void> | undefined;
  again: boolean;
  stopping: boolean;
  /** After stop(): a send that finishes now is left alone (the next start prints it again, REPRINT). */
  closed: boolean;
  /** Consecutive failed sends, the last one's reason, and until when the printer is left alone. */
  failures: number;
  lastReason: string;
  holdUntil: number;
}

const nowMs = (p: PrintPass) => p.clock.now().getTime();

/** Starts a pass over the due jobs, or asks the one under way for another. */
export function kick(p: PrintPass): void {
  const s = p.state;
  if (s.stopping) return;
  if (s.running !== undefined) {
    s.again = true;
    return;
  }
  s.running = drain(p)
    .catch((error: unknown) => {
      // A full disk is the storage state's to log, once a minute; the next poll tries again.
      if (!isAppError(error, 'storage_full'))
        p.log.error({ err: error }, 'print queue stopped on an error; retrying soon');
    })
    .finally(() => {
      s.running = undefined;
    });
}

async function drain(p: PrintPass): Promise<void> {
  const s = p.state;
  do {
    s.again = false;
    p.owed.settle(nowMs(p));
    for (;;) {
      if (s.stopping || nowMs(p) < s.holdUntil) return;
      const job = p.jobs.nextDue(nowMs(p), p.station, p.owed.done());
      if (job === undefined || !(await printOne(p, job))) break;
    }
  } while (s.again && !s.stopping);
}

/** Prints one job; false when the printer failed and the queue should wait. */
async function printOne(p: PrintPass, due: PrintJob): Promise<boolean> {
  // A failed send the disk had no room to record may have printed: its retry goes REPRINT all the same.
  const job = p.owed.reprint(due.id) ? { ...due, reprint: true } : due;
  const order = p.orders.get(job.orderId);
  const skip = skipReason(job, order);
  if (skip !== undefined || order === undefined) {
    drop(p, job, skip ?? 'order not found');
    return true;
  }
  let out: PrintOut;
  try {
    out = render(p, job, order);
  } catch (error) {
    drop(p, job, 'the ticket could not be laid out', error);
    return true;
  }
  // Without room for the sending mark the ticket prints anyway, from memory: a paid order is never
  // held back for the disk; its record follows once there is room (print-owed.ts).
  const mark = await p.marks.mark(job.id);
  if (mark === 'gone') return true;
  if (mark === 'marked') p.owed.forget(job.id);
  const started = performance.now();
  try {
    await p.printer.send(out, p.sendTimeoutMs);
  } catch (error) {
    if (p.state.closed) return false;
    sendFailed(p, job, error);
    return false;
  }
  if (p.state.closed) return false;
  printed(p, job, order, Math.round(performance.now() - started), mark === 'unmarked');
  return true;
}

function skipReason(job: PrintJob, order: Order | undefined): string | undefined {
  if (order === undefined) return 'order not found';
  const allowed = job.kind === 'ticket' && !job.reprint ? FIRST_TICKET : REPRINTABLE;
  return allowed.has(order.state) ? undefined : `order is ${order.state.replace('_', ' ')}`;
}

function render(p: PrintPass, job: PrintJob, order: Order): PrintOut {
  const encoded = renderTicket({
    order,
    kind: job.kind,
    reprint: job.reprint,
    station: job.station,
    parts: job.parts,
    settings: p.shop.settings(),
    menu: p.menu.index(),
    orderUrl: p.orderUrl(order.id),
    formatTime: p.shop.formatTime,
    staffEntered: p.staffEntered?.(order) === true,
  });
  const kind = job.station === undefined ? job.kind : `station-${job.station.part}`;
  const name = `job-${job.id}-${job.attempts + 1}-${order.code}-${kind}${job.reprint ? '-reprint' : ''}`;
  return { name, ...encoded };
}

function printed(p: PrintPass, job: PrintJob, order: Order, ms: number, unmarked: boolean): void {
  const s = p.state;
  // Recorded now, with the order's move to the kitchen, or kept until the disk has room.
  p.owed.owe(job.id, { kind: 'printed', job, unmarked });
  p.owed.settle(nowMs(p));
  if (s.failures > 0) p.log.info({ printer: p.printer.target, failures: s.failures }, 'printer back online');
  const state = p.printer.state();
  if (state.status !== 'online')
    p.log.warn({ printer: p.printer.target, reason: state.reason }, 'printer problem');
  s.failures = 0;
  s.lastReason = '';
  s.holdUntil = 0;
  const fields = { job_id: job.id, order_code: order.code, kind: job.kind, reprint: job.reprint, ms };
  p.log.info({ ...fields, attempt: job.attempts + 1 }, 'ticket printed');
}

/** Runs a write now; with no room on the disk, keeps it for later (`owed`) and says false. */
function written(fn: () => void, later: () => void): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    if (!isAppError(error, 'storage_full')) throw error;
    later();
    return false;
  }
}

function drop(p: PrintPass, job: PrintJob, reason: string, error?: unknown): void {
  written(
    () => p.jobs.markFailed(job.id, reason, nowMs(p)),
    () => p.owed.owe(job.id, { kind: 'failed', reason }),
  );
  p.log[error === undefined ? 'warn' : 'error'](
    { job_id: job.id, order_id: job.orderId, kind: job.kind, reason, err: error },
    'print job not printed',
  );
}

/** A failed send: the job retries headed REPRINT if it may have printed, after a doubling wait. */
function sendFailed(p: PrintPass, job: PrintJob, error: unknown): void {
  const s = p.state;
  const failure =
    error instanceof PrinterError ? error : new PrinterError('error', String(error), { maybePrinted: true });
  s.failures += 1;
  const delay = Math.min(p.backoff.maxMs, p.backoff.baseMs * 2 ** Math.min(s.failures - 1, 20));
  const now = nowMs(p);
  s.holdUntil = now + delay;
  const retry = {
    error: failure.message,
    reprint: job.reprint || failure.maybePrinted,
    nowMs: now,
    nextAttemptAt: s.holdUntil,
  };
  // Without room for the record the hold below still keeps the printer alone; the REPRINT flag waits in memory.
  written(
    () =>
      p.store.transaction(() => {
        p.jobs.markRetry(job.id, retry);
        p.jobs.deferPending(s.holdUntil, p.station);
      }),
    () => p.owed.owe(job.id, { kind: 'retry', retry }),
  );
  const fields = { printer: p.printer.target, reason: failure.message, retry_in_ms: delay, job_id: job.id };
  // Logged when the printer goes away or fails differently; every retry only at debug.
  if (s.failures === 1 || failure.message !== s.lastReason) {
    p.log.warn(
      { ...fields, waiting: p.jobs.waiting(p.station ?? null) },
      'printer unavailable; tickets wait',
    );
  } else p.log.debug(fields, 'printer still unavailable');
  s.lastReason = failure.message;
  clearTimeout(s.holdTimer);
  s.holdTimer = setTimeout(() => kick(p), delay);
  s.holdTimer.unref();
}

/** A printed ticket's order moves to the kitchen, inside the transaction recording the print. */
export function toKitchen(
  deps: { readonly store: Store; readonly orders: PrintPass['orders']; readonly log: Logger },
  job: PrintJob,
): void {
  if (job.kind !== 'ticket' || deps.orders.get(job.orderId)?.state !== 'paid') return;
  try {
    deps.store.savepoint(() => deps.orders.apply(job.orderId, 'print', 'system:printer'));
  } catch (error) {
    if (isAppError(error, 'storage_full')) throw error;
    deps.log.warn(
      { err: error, order_id: job.orderId },
      'ticket printed, but the order could not move to the kitchen',
    );
  }
}
