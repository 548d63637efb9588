import type { PrinterPort, PrintOut } from '../../devices/printer.js';
import { AppError } from '../../domain/app-error.js';
import type { NewPrintJob } from '../../store/print-jobs-repo.js';
import type { StationsRepo } from '../../store/stations-repo.js';
import type { OrderEvents } from '../orders/order-events.js';
import { createPrintLanes, type LaneStatus, type PrintLanes } from './print-lanes.js';
import { createOwedWrites } from './print-owed.js';
import { type PrintParts, type PrintPass, REPRINTABLE, toKitchen } from './print-pass.js';
import { createSendingMarks } from './sending-marks.js';
import { splitByStation } from './station-routing.js';
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
  /** The main printer: the only one without stations, the expo/packing ticket's with them. */
  readonly printer: PrinterPort;
  readonly stations: Pick<StationsRepo, 'list' | 'routes'>;
  /** A station's printer port from its stored printer choice; undefined when the choice is unreadable. */
  readonly stationPrinter: (choiceJson: string) => PrinterPort | undefined;
}

/** Paid orders to the kitchen printers: written with the payment, printed in order, once, across restarts. */
export interface PrintQueue {
  /**
   * Prints the order's ticket again, headed REPRINT (the bump button's long press). Returns the job id;
   * while one of the order's tickets still waits, that one's, so a held button never floods the kitchen.
   */
  reprint(orderId: string): number;
  /** Jobs cut short by the last stop go again headed REPRINT; then prints whatever is due. */
  start(): void;
  stop(): Promise<void>;
  /** For `/ready`: the printers' state and how many tickets wait. Never makes the shop unready. */
  health(): { readonly ok: boolean; readonly detail: string };
  /** Each printer's state, the main one first, for the owner's dashboard. */
  printers(): LaneStatus[];
  /** The owner changed the stations: their printers are picked up now. */
  stationsChanged(): void;
  /** Prints a short test ticket now (the owner's test button), after the ticket being sent, if any; never queued. */
  testPrint(): Promise<{ readonly ok: boolean; readonly detail: string }>;
  /** Prints a document that is no order's ticket (a day's report) now, after the ticket being sent; never queued. */
  printNow(out: PrintOut): Promise<{ readonly ok: boolean; readonly detail: string }>;
}

/** Creates the print queue; nothing prints before `start()`. */
export function createPrintQueue(deps: PrintQueueDeps): PrintQueue {
  const log = deps.log.child({ module: 'printer' });
  const backoff = { baseMs: deps.backoff?.baseMs ?? 1000, maxMs: deps.backoff?.maxMs ?? 60_000 };
  const owed = createOwedWrites({
    store: deps.store,
    jobs: deps.jobs,
    printed: (job) => toKitchen({ ...deps, log }, job),
    log,
  });
  // pending → sending, durably: after a crash the job is found in sending and printed as REPRINT.
  const marks = createSendingMarks(deps);
  const lanes = createPrintLanes({
    ...deps,
    marks,
    log,
    sendTimeoutMs: deps.sendTimeoutMs ?? 10_000,
    backoff,
    owed,
  });
  deps.orderEvents.on((order, from) => {
    if (order.state !== 'paid' || from === 'paid') return;
    const parts = splitByStation(
      order.lines,
      deps.menu.index(),
      deps.stations.list(),
      deps.stations.routes(),
    );
    const printing = new Set(lanes.all().map((lane) => lane.station));
    for (const station of parts) {
      // A station without a printer (a screen only) has its lines on the expo ticket alone.
      if (printing.has(station.stationId)) enqueue(lanes, { orderId: order.id, kind: 'ticket', station });
    }
    enqueue(lanes, { orderId: order.id, kind: 'ticket', parts: parts.length });
    if (deps.shop.settings().printer.customerReceipt) enqueue(lanes, { orderId: order.id, kind: 'receipt' });
  });
  return {
    reprint: (orderId) => reprint(lanes, orderId),
    start: () => start(lanes, deps.pollMs ?? 1000),
    stop: () => stop(lanes, deps.stopGraceMs ?? 2000),
    testPrint: () => testPrint(lanes.main),
    printNow: (out) => printNow(lanes.main, out, 'document'),
    health: () => health(lanes.status(owed.done().length)),
    printers: () => lanes.status(owed.done().length),
    stationsChanged() {
      lanes.sync();
      lanes.kickAll();
    },
  };
}

function enqueue(
  lanes: PrintLanes,
  job: Omit<NewPrintJob, 'reprint' | 'nowMs'> & { reprint?: boolean },
): number {
  const p = lanes.main;
  const id = p.jobs.enqueue({ reprint: false, ...job, nowMs: p.clock.now().getTime() });
  // Inside the writing transaction still: the job is visible once it commits, after this turn.
  setImmediate(() => lanes.kickAll());
  return id;
}

/** The bump button's long press reprints the main printer's ticket (with every item), never the stations'. */
function reprint(lanes: PrintLanes, orderId: string): number {
  const p = lanes.main;
  const order = p.orders.get(orderId);
  if (order === undefined) throw new AppError('order_not_found', `There is no order ${orderId}.`);
  if (!REPRINTABLE.has(order.state)) {
    throw new AppError(
      'invalid_transition',
      `Order ${order.code} is ${order.state.replace('_', ' ')}; it has no ticket to reprint.`,
    );
  }
  const tickets = p.jobs
    .forOrder(orderId)
    .filter((job) => job.kind === 'ticket' && job.station === undefined);
  const waiting = tickets.find((job) => job.state === 'pending' || job.state === 'sending');
  if (waiting !== undefined) return waiting.id;
  const parts = tickets.at(-1)?.parts ?? 0;
  const id = p.store.transaction(() => enqueue(lanes, { orderId, kind: 'ticket', reprint: true, parts }));
  p.log.info({ job_id: id, order_code: order.code }, 'reprint asked for');
  return id;
}

function start(lanes: PrintLanes, pollMs: number): void {
  const p = lanes.main;
  lanes.sync();
  const { resent, pending } = p.jobs.recover(p.clock.now().getTime());
  if (resent > 0) p.log.warn({ resent }, 'print jobs cut short by the last stop print again, headed REPRINT');
  if (pending > 0)
    p.log.info({ pending, printer: p.printer.target }, 'printing tickets left from before the restart');
  p.state.poll = setInterval(() => lanes.kickAll(), pollMs);
  p.state.poll.unref();
  lanes.kickAll();
}

async function stop(lanes: PrintLanes, graceMs: number): Promise<void> {
  const all = lanes.all();
  for (const { state: s } of all) {
    s.stopping = true;
    clearInterval(s.poll);
    clearTimeout(s.holdTimer);
  }
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(all.map((lane) => lane.state.running)),
    new Promise((resolve) => {
      grace = setTimeout(resolve, graceMs);
    }),
  ]);
  clearTimeout(grace);
  for (const { state } of all) state.closed = true;
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

function health(printers: LaneStatus[]): { readonly ok: boolean; readonly detail: string } {
  const [main, ...stations] = printers;
  const away = stations.filter((s) => s.status !== 'online');
  const waiting = (main?.waiting ?? 0) + stations.reduce((sum, s) => sum + s.waiting, 0);
  // /ready is public: the state and the queue, not the printers' LAN addresses (the logs have them).
  const detail = `${main?.status}: ${main?.reason}; ${waiting} ticket(s) waiting`;
  return {
    ok: main?.status === 'online' && away.length === 0,
    detail: [detail, ...away.map((s) => `${s.station} printer ${s.status}: ${s.reason}`)].join('; '),
  };
}
