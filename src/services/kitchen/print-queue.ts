import { PrinterError, type PrinterPort, type PrintOut } from '../../devices/printer.js';
import { toPrinterCharset } from '../../devices/printer-charset.js';
import { encodeEscPos, paperColumns } from '../../devices/printer-escpos.js';
import { AppError, isAppError } from '../../domain/app-error.js';
import type { Order } from '../../domain/order.js';
import type { OrderEvent, OrderState } from '../../domain/order-lifecycle.js';
import { printerLines } from '../../domain/printer-text.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { Store } from '../../store/database.js';
import type { PrintJob, PrintJobsRepo } from '../../store/print-jobs-repo.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { OrderEvents } from '../orders/order-events.js';
import type { ShopService } from '../shop/shop-service.js';
import { createOwedWrites } from './print-owed.js';
import { renderTicket } from './ticket.js';

/** Timings a test or an operator may change. */
export interface PrintQueueOptions {
  /** How often due jobs are looked for, besides right after one is written. */
  readonly pollMs?: number;
  /** Longest one document may take to reach the printer. */
  readonly sendTimeoutMs?: number;
  /** Wait after the printer's first failure, doubled after each further one, up to `maxMs`. */
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number };
  /** How long `stop()` waits for a document still on its way; after that it prints again, headed REPRINT. */
  readonly stopGraceMs?: number;
}

export interface PrintQueueDeps extends PrintQueueOptions {
  readonly store: Store;
  readonly jobs: PrintJobsRepo;
  readonly orders: {
    get(orderId: string): Order | undefined;
    apply(orderId: string, event: OrderEvent, actor: string): Order;
  };
  readonly printer: PrinterPort;
  readonly shop: ShopService;
  readonly menu: MenuCache;
  /** The order's page, for the QR code on the ticket. */
  readonly orderUrl: (orderId: string) => string;
  readonly clock: Clock;
  readonly log: Logger;
  /** The order moves it follows: a newly paid order gets its ticket (and receipt) job in the same transaction. */
  readonly orderEvents: Pick<OrderEvents, 'on'>;
}

/** Paid orders to the kitchen printer: written with the payment, printed in order, once, across restarts. */
export interface PrintQueue {
  /**
   * Prints the order's ticket again, headed REPRINT (the bump button's long press). Returns the job id;
   * while one of the order's tickets still waits, that one's, so a held button never floods the kitchen.
   */
  reprint(orderId: string): number;
  /** Jobs cut short by the last stop go again headed REPRINT; then prints whatever is due. */
  start(): void;
  stop(): Promise<void>;
  /** For `/ready`: the printer's state and how many tickets wait. Never makes the shop unready. */
  health(): { readonly ok: boolean; readonly detail: string };
  /** Prints a short test ticket now (the owner's test button), after the ticket being sent, if any; never queued. */
  testPrint(): Promise<{ readonly ok: boolean; readonly detail: string }>;
}

/** States an order's first ticket prints in; reprints and receipts also print for orders already done. */
const FIRST_TICKET: ReadonlySet<OrderState> = new Set(['paid', 'in_kitchen']);
const REPRINTABLE: ReadonlySet<OrderState> = new Set(['paid', 'in_kitchen', 'ready', 'collected']);

/** Creates the print queue; nothing prints before `start()`. */
export function createPrintQueue(deps: PrintQueueDeps): PrintQueue {
  const { store, jobs, orders, printer, clock } = deps;
  const log = deps.log.child({ module: 'printer' });
  const sendTimeoutMs = deps.sendTimeoutMs ?? 10_000;
  const baseMs = deps.backoff?.baseMs ?? 1000;
  const maxMs = deps.backoff?.maxMs ?? 60_000;
  const nowMs = () => clock.now().getTime();
  let poll: NodeJS.Timeout | undefined;
  let holdTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopping = false;
  let closed = false;
  /** Consecutive failed sends, the last one's reason, and until when the printer is left alone. */
  let failures = 0;
  let lastReason = '';
  let holdUntil = 0;
  /** Records the disk had no room for yet: written at the start of each pass. */
  const owed = createOwedWrites({ store, jobs, printed: (job) => toKitchen(job), log });

  function skipReason(job: PrintJob, order: Order | undefined): string | undefined {
    if (order === undefined) return 'order not found';
    const allowed = job.kind === 'ticket' && !job.reprint ? FIRST_TICKET : REPRINTABLE;
    return allowed.has(order.state) ? undefined : `order is ${order.state.replace('_', ' ')}`;
  }

  function render(job: PrintJob, order: Order): PrintOut {
    const encoded = renderTicket({
      order,
      kind: job.kind,
      reprint: job.reprint,
      settings: deps.shop.settings(),
      menu: deps.menu.index(),
      orderUrl: deps.orderUrl(order.id),
      formatTime: deps.shop.formatTime,
    });
    const name = `job-${job.id}-${job.attempts + 1}-${order.code}-${job.kind}${job.reprint ? '-reprint' : ''}`;
    return { name, ...encoded };
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

  function drop(job: PrintJob, reason: string, error?: unknown): void {
    written(
      () => jobs.markFailed(job.id, reason, nowMs()),
      () => owed.owe(job.id, { kind: 'failed', reason }),
    );
    log[error === undefined ? 'warn' : 'error'](
      { job_id: job.id, order_id: job.orderId, kind: job.kind, reason, err: error },
      'print job not printed',
    );
  }

  function sendFailed(job: PrintJob, error: unknown): void {
    const failure =
      error instanceof PrinterError
        ? error
        : new PrinterError('error', String(error), { maybePrinted: true });
    failures += 1;
    const delay = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 20));
    const now = nowMs();
    holdUntil = now + delay;
    const retry = {
      error: failure.message,
      reprint: job.reprint || failure.maybePrinted,
      nowMs: now,
      nextAttemptAt: holdUntil,
    };
    // Without room for the record the hold below still keeps the printer alone; the REPRINT flag waits in memory.
    written(
      () =>
        store.transaction(() => {
          jobs.markRetry(job.id, retry);
          jobs.deferPending(holdUntil);
        }),
      () => owed.owe(job.id, { kind: 'retry', retry }),
    );
    const fields = { printer: printer.target, reason: failure.message, retry_in_ms: delay, job_id: job.id };
    // Logged when the printer goes away or fails differently; every retry only at debug.
    if (failures === 1 || failure.message !== lastReason) {
      log.warn({ ...fields, waiting: jobs.waiting() }, 'printer unavailable; tickets wait');
    } else log.debug(fields, 'printer still unavailable');
    lastReason = failure.message;
    clearTimeout(holdTimer);
    holdTimer = setTimeout(kick, delay);
    holdTimer.unref();
  }

  /** A printed ticket's order moves to the kitchen, inside the transaction recording the print. */
  function toKitchen(job: PrintJob): void {
    if (job.kind !== 'ticket' || orders.get(job.orderId)?.state !== 'paid') return;
    try {
      store.savepoint(() => orders.apply(job.orderId, 'print', 'system:printer'));
    } catch (error) {
      if (isAppError(error, 'storage_full')) throw error;
      log.warn(
        { err: error, order_id: job.orderId },
        'ticket printed, but the order could not move to the kitchen',
      );
    }
  }

  function printed(job: PrintJob, order: Order, ms: number, unmarked: boolean): void {
    // Recorded now, with the order's move to the kitchen, or kept until the disk has room.
    owed.owe(job.id, { kind: 'printed', job, unmarked });
    owed.settle(nowMs());
    if (failures > 0) log.info({ printer: printer.target, failures }, 'printer back online');
    const state = printer.state();
    if (state.status !== 'online')
      log.warn({ printer: printer.target, reason: state.reason }, 'printer problem');
    failures = 0;
    lastReason = '';
    holdUntil = 0;
    const fields = { job_id: job.id, order_code: order.code, kind: job.kind, reprint: job.reprint, ms };
    log.info({ ...fields, attempt: job.attempts + 1 }, 'ticket printed');
  }

  /**
   * pending → sending, durably: after a crash the job is found in sending and printed as REPRINT.
   * `gone` when it is no longer pending; `unmarked` when the disk had no room for the mark.
   */
  function markSending(job: PrintJob): 'marked' | 'gone' | 'unmarked' {
    try {
      return store.durableTransaction(() => jobs.markSending(job.id, nowMs())) ? 'marked' : 'gone';
    } catch (error) {
      if (!isAppError(error, 'storage_full')) throw error;
      return 'unmarked';
    }
  }

  /** Prints one job; false when the printer failed and the queue should wait. */
  async function printOne(due: PrintJob): Promise<boolean> {
    // A failed send the disk had no room to record may have printed: its retry goes REPRINT all the same.
    const job = owed.reprint(due.id) ? { ...due, reprint: true } : due;
    const order = orders.get(job.orderId);
    const skip = skipReason(job, order);
    if (skip !== undefined || order === undefined) {
      drop(job, skip ?? 'order not found');
      return true;
    }
    let out: PrintOut;
    try {
      out = render(job, order);
    } catch (error) {
      drop(job, 'the ticket could not be laid out', error);
      return true;
    }
    // Without room for the sending mark the ticket prints anyway, from memory: a paid order is never
    // held back for the disk; its record follows once there is room (print-owed.ts).
    const mark = markSending(job);
    if (mark === 'gone') return true;
    if (mark === 'marked') owed.forget(job.id);
    const started = performance.now();
    try {
      await printer.send(out, sendTimeoutMs);
    } catch (error) {
      if (closed) return false;
      sendFailed(job, error);
      return false;
    }
    if (closed) return false;
    printed(job, order, Math.round(performance.now() - started), mark === 'unmarked');
    return true;
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      owed.settle(nowMs());
      for (;;) {
        if (stopping || nowMs() < holdUntil) return;
        const job = jobs.nextDue(nowMs(), owed.done());
        if (job === undefined || !(await printOne(job))) break;
      }
    } while (again && !stopping);
  }

  function kick(): void {
    if (stopping) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => {
        // A full disk is the storage state's to log, once a minute; the next poll tries again.
        if (!isAppError(error, 'storage_full'))
          log.error({ err: error }, 'print queue stopped on an error; retrying soon');
      })
      .finally(() => {
        running = undefined;
      });
  }

  function enqueue(orderId: string, kind: PrintJob['kind'], reprint: boolean): number {
    const id = jobs.enqueue({ orderId, kind, reprint, nowMs: nowMs() });
    // Inside the writing transaction still: the job is visible once it commits, after this turn.
    setImmediate(kick);
    return id;
  }

  deps.orderEvents.on((order, from) => {
    if (order.state !== 'paid' || from === 'paid') return;
    enqueue(order.id, 'ticket', false);
    if (deps.shop.settings().printer.customerReceipt) enqueue(order.id, 'receipt', false);
  });
  return {
    reprint(orderId) {
      const order = orders.get(orderId);
      if (order === undefined) throw new AppError('order_not_found', `There is no order ${orderId}.`);
      if (!REPRINTABLE.has(order.state)) {
        throw new AppError(
          'invalid_transition',
          `Order ${order.code} is ${order.state.replace('_', ' ')}; it has no ticket to reprint.`,
        );
      }
      const waiting = jobs
        .forOrder(orderId)
        .find((job) => job.kind === 'ticket' && (job.state === 'pending' || job.state === 'sending'));
      if (waiting !== undefined) return waiting.id;
      const id = store.transaction(() => enqueue(orderId, 'ticket', true));
      log.info({ job_id: id, order_code: order.code }, 'reprint asked for');
      return id;
    },
    start() {
      const { resent, pending } = jobs.recover(nowMs());
      if (resent > 0)
        log.warn({ resent }, 'print jobs cut short by the last stop print again, headed REPRINT');
      if (pending > 0)
        log.info({ pending, printer: printer.target }, 'printing tickets left from before the restart');
      poll = setInterval(kick, deps.pollMs ?? 1000);
      poll.unref();
      kick();
    },
    async stop() {
      stopping = true;
      clearInterval(poll);
      clearTimeout(holdTimer);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        running,
        new Promise((resolve) => {
          grace = setTimeout(resolve, deps.stopGraceMs ?? 2000);
        }),
      ]);
      clearTimeout(grace);
      closed = true;
    },
    async testPrint() {
      await running;
      const settings = deps.shop.settings();
      const width = paperColumns(settings.printer.paperWidthMm);
      const now = clock.now();
      const encoded = encodeEscPos(
        {
          blocks: [
            { kind: 'lines', lines: ['TEST TICKET'], style: { align: 'center', bold: true, size: 2 } },
            {
              kind: 'lines',
              lines: printerLines(settings.profile.name, {
                width,
                maxLines: 2,
                maxChars: 80,
                fold: toPrinterCharset,
              }),
            },
            { kind: 'lines', lines: [deps.shop.formatTime(now), `${width} characters a line`] },
            { kind: 'rule' },
          ],
        },
        width,
      );
      try {
        await printer.send({ name: `test-${now.getTime()}`, ...encoded }, sendTimeoutMs);
        log.info({ printer: printer.target }, 'test ticket printed');
        return { ok: true, detail: `${printer.target}: test ticket printed` };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.warn({ printer: printer.target, reason }, 'test ticket not printed');
        return { ok: false, detail: `${printer.target}: ${reason}` };
      }
    },
    health() {
      const state = printer.state();
      const waiting = jobs.waiting() - owed.done().length;
      return {
        ok: state.status === 'online',
        // /ready is public: the state and the queue, not the printer's LAN address (the logs have it).
        detail: `${state.status}: ${state.reason}; ${waiting} ticket(s) waiting`,
      };
    },
  };
}
