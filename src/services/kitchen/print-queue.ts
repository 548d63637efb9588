import type { PrintOut } from '../../devices/printer.js';
import { AppError } from '../../domain/app-error.js';
import type { PrintJob } from '../../store/print-jobs-repo.js';
import type { OrderEvents } from '../orders/order-events.js';
import { createOwedWrites } from './print-owed.js';
import { kick, type PrintParts, type PrintPass, REPRINTABLE, toKitchen } from './print-pass.js';
import { testTicket } from './test-ticket.js';

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

export interface PrintQueueDeps extends PrintQueueOptions, PrintParts {
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
  /** Prints a document that is no order's ticket (a day's report) now, after the ticket being sent; never queued. */
  printNow(out: PrintOut): Promise<{ readonly ok: boolean; readonly detail: string }>;
}

/** Creates the print queue; nothing prints before `start()`. */
export function createPrintQueue(deps: PrintQueueDeps): PrintQueue {
  const log = deps.log.child({ module: 'printer' });
  const p: PrintPass = {
    ...deps,
    log,
    sendTimeoutMs: deps.sendTimeoutMs ?? 10_000,
    backoff: { baseMs: deps.backoff?.baseMs ?? 1000, maxMs: deps.backoff?.maxMs ?? 60_000 },
    owed: createOwedWrites({ store: deps.store, jobs: deps.jobs, printed: (job) => toKitchen(p, job), log }),
    state: {
      poll: undefined,
      holdTimer: undefined,
      running: undefined,
      again: false,
      stopping: false,
      closed: false,
      failures: 0,
      lastReason: '',
      holdUntil: 0,
    },
  };
  deps.orderEvents.on((order, from) => {
    if (order.state !== 'paid' || from === 'paid') return;
    enqueue(p, order.id, 'ticket', false);
    if (deps.shop.settings().printer.customerReceipt) enqueue(p, order.id, 'receipt', false);
  });
  return {
    reprint: (orderId) => reprint(p, orderId),
    start: () => start(p, deps.pollMs ?? 1000),
    stop: () => stop(p, deps.stopGraceMs ?? 2000),
    testPrint: () => testPrint(p),
    printNow: (out) => printNow(p, out, 'document'),
    health: () => health(p),
  };
}

function enqueue(p: PrintPass, orderId: string, kind: PrintJob['kind'], reprint: boolean): number {
  const id = p.jobs.enqueue({ orderId, kind, reprint, nowMs: p.clock.now().getTime() });
  // Inside the writing transaction still: the job is visible once it commits, after this turn.
  setImmediate(() => kick(p));
  return id;
}

function reprint(p: PrintPass, orderId: string): number {
  const order = p.orders.get(orderId);
  if (order === undefined) throw new AppError('order_not_found', `There is no order ${orderId}.`);
  if (!REPRINTABLE.has(order.state)) {
    throw new AppError(
      'invalid_transition',
      `Order ${order.code} is ${order.state.replace('_', ' ')}; it has no ticket to reprint.`,
    );
  }
  const waiting = p.jobs
    .forOrder(orderId)
    .find((job) => job.kind === 'ticket' && (job.state === 'pending' || job.state === 'sending'));
  if (waiting !== undefined) return waiting.id;
  const id = p.store.transaction(() => enqueue(p, orderId, 'ticket', true));
  p.log.info({ job_id: id, order_code: order.code }, 'reprint asked for');
  return id;
}

function start(p: PrintPass, pollMs: number): void {
  const { resent, pending } = p.jobs.recover(p.clock.now().getTime());
  if (resent > 0) p.log.warn({ resent }, 'print jobs cut short by the last stop print again, headed REPRINT');
  if (pending > 0)
    p.log.info({ pending, printer: p.printer.target }, 'printing tickets left from before the restart');
  p.state.poll = setInterval(() => kick(p), pollMs);
  p.state.poll.unref();
  kick(p);
}

async function stop(p: PrintPass, graceMs: number): Promise<void> {
  const s = p.state;
  s.stopping = true;
  clearInterval(s.poll);
  clearTimeout(s.holdTimer);
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([
    s.running,
    new Promise((resolve) => {
      grace = setTimeout(resolve, graceMs);
    }),
  ]);
  clearTimeout(grace);
  s.closed = true;
}

function testPrint(p: PrintPass): Promise<{ readonly ok: boolean; readonly detail: string }> {
  const now = p.clock.now();
  const encoded = testTicket(p.shop.settings(), now, p.shop.formatTime);
  return printNow(p, { name: `test-${now.getTime()}`, ...encoded }, 'test ticket');
}

async function printNow(
  p: PrintPass,
  out: PrintOut,
  what: string,
): Promise<{ readonly ok: boolean; readonly detail: string }> {
  await p.state.running;
  try {
    await p.printer.send(out, p.sendTimeoutMs);
    p.log.info({ printer: p.printer.target, name: out.name }, `${what} printed`);
    return { ok: true, detail: `${p.printer.target}: ${what} printed` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    p.log.warn({ printer: p.printer.target, name: out.name, reason }, `${what} not printed`);
    return { ok: false, detail: `${p.printer.target}: ${reason}` };
  }
}

function health(p: PrintPass): { readonly ok: boolean; readonly detail: string } {
  const state = p.printer.state();
  const waiting = p.jobs.waiting() - p.owed.done().length;
  return {
    ok: state.status === 'online',
    // /ready is public: the state and the queue, not the printer's LAN address (the logs have it).
    detail: `${state.status}: ${state.reason}; ${waiting} ticket(s) waiting`,
  };
}
