import { afterEach, describe, expect, it } from 'vitest';
import { demoOrders } from '../../../test/helpers/demo-store.js';
import {
  PrinterError,
  type PrinterPort,
  type PrinterState,
  type PrintOut,
  stateAfter,
} from '../../devices/printer.js';
import { isAppError } from '../../domain/app-error.js';
import { createSilentLogger } from '../../platform/logger.js';
import { createPrintJobsRepo } from '../../store/print-jobs-repo.js';
import { createStationsRepo } from '../../store/stations-repo.js';
import { demoSettings } from '../shop/demo-shop.js';
import { createPrintQueue, type PrintQueue } from './print-queue.js';

/** A printer whose next sends fail as the test says; it keeps what it printed. */
function scriptedPrinter() {
  const printed: PrintOut[] = [];
  const failures: PrinterError[] = [];
  let state: PrinterState = { status: 'online', reason: 'no ticket sent yet' };
  const port: PrinterPort = {
    target: 'tcp://test-printer:9100',
    async send(out) {
      const failure = failures.shift();
      state = stateAfter(failure);
      if (failure !== undefined) throw failure;
      printed.push(out);
    },
    state: () => state,
  };
  return { port, printed, failNext: (...errors: PrinterError[]) => failures.push(...errors) };
}

const refused = () => new PrinterError('offline', 'connection refused', { maybePrinted: false });
const stalled = () => new PrinterError('offline', 'no confirmation', { maybePrinted: true });

const queues: PrintQueue[] = [];
afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.stop();
});

function setup(options: { receipt?: boolean } = {}) {
  const { store, clock, settings, shop, menu, ordersRepo, orderEvents, orders } = demoOrders();
  if (options.receipt === true) {
    settings.saveSection('printer', { ...demoSettings().printer, customerReceipt: true });
    shop.refresh();
  }
  const jobs = createPrintJobsRepo({ store });
  const printer = scriptedPrinter();
  const queue = createPrintQueue({
    store,
    jobs,
    orders: { get: (id) => ordersRepo.get(id), apply: (...args) => orders.transitionById(...args) },
    printer: printer.port,
    stations: createStationsRepo({ store }),
    stationPrinter: () => undefined,
    shop,
    menu,
    orderUrl: (id) => `https://burgers.example.com/o/${id}`,
    clock,
    log: createSilentLogger(),
    pollMs: 5,
    backoff: { baseMs: 100, maxMs: 250 },
    orderEvents,
  });
  queues.push(queue);
  /** Places an order for `subject` and approves it in one durable transaction, as a payment does. */
  const paid = (subject: string) => {
    const who = { subject };
    const { order } = orders.create(who, [{ itemId: 'cheeseburger', quantity: 1 }], {
      customerName: subject,
    });
    orders.place(who, order.id);
    return store.durableTransaction(() =>
      orders.transitionById(order.id, 'approve', `customer:${subject}`, { method: 'demo_card' }),
    );
  };
  return { store, clock, jobs, printer, queue, orders, ordersRepo, paid };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('print queue', () => {
  it('writes the ticket job in the transaction that pays the order, and nowhere else', () => {
    const s = setup();
    const order = s.paid('ada');
    expect(s.jobs.forOrder(order.id)).toMatchObject([{ kind: 'ticket', state: 'pending', reprint: false }]);
    const { order: other } = s.orders.create({ subject: 'bo' }, [{ itemId: 'fries', quantity: 1 }], {
      customerName: 'Bo',
    });
    s.orders.place({ subject: 'bo' }, other.id);
    expect(() =>
      s.store.durableTransaction(() => {
        s.orders.transitionById(other.id, 'approve', 'customer:bo', { method: 'demo_card' });
        throw new Error('the payment failed after all');
      }),
    ).toThrow('the payment failed');
    expect(s.jobs.forOrder(other.id)).toEqual([]);
  });

  it('prints oldest first, marks each printed and moves its order to the kitchen', async () => {
    const s = setup({ receipt: true });
    const first = s.paid('ada');
    const second = s.paid('bo');
    s.queue.start();
    await until(() => s.printer.printed.length === 4);
    expect(s.printer.printed.map((p) => p.name)).toEqual([
      `job-1-1-${first.code}-ticket`,
      `job-2-1-${first.code}-receipt`,
      `job-3-1-${second.code}-ticket`,
      `job-4-1-${second.code}-receipt`,
    ]);
    await until(() => s.ordersRepo.get(second.id)?.state === 'in_kitchen');
    expect(s.ordersRepo.get(first.id)?.state).toBe('in_kitchen');
    expect(s.jobs.forOrder(first.id).map((j) => j.state)).toEqual(['printed', 'printed']);
    expect(s.printer.printed[1]?.text).toContain('Subtotal');
    expect(s.queue.health()).toEqual({
      ok: true,
      detail: 'online: last ticket printed; 0 ticket(s) waiting',
    });
  });

  it('holds every job while the printer is away, backing off, then prints them in order', async () => {
    const s = setup();
    s.printer.failNext(refused(), refused(), refused());
    const first = s.paid('ada');
    s.queue.start();
    await until(() => s.jobs.forOrder(first.id)[0]?.attempts === 1);
    const second = s.paid('bo');
    expect(s.queue.health()).toMatchObject({ ok: false });
    expect(s.queue.health().detail).toContain('offline: connection refused; 2 ticket(s) waiting');
    const waits: number[] = [];
    for (const attempt of [2, 3]) {
      const job = s.jobs.forOrder(first.id)[0];
      waits.push((job?.nextAttemptAt ?? 0) - s.clock.now().getTime());
      // The second order, written while the printer is away, waits behind the first.
      expect(s.jobs.forOrder(second.id)[0]).toMatchObject({ state: 'pending', attempts: 0 });
      s.clock.advance(1000);
      await until(() => s.jobs.forOrder(first.id)[0]?.attempts === attempt);
    }
    waits.push((s.jobs.forOrder(first.id)[0]?.nextAttemptAt ?? 0) - s.clock.now().getTime());
    expect(waits).toEqual([100, 200, 250]);
    s.clock.advance(1000);
    await until(() => s.printer.printed.length === 2);
    expect(s.printer.printed.map((p) => p.name)).toEqual([
      `job-1-4-${first.code}-ticket`,
      `job-2-1-${second.code}-ticket`,
    ]);
    // Refused connections never reached the printer: no REPRINT.
    expect(s.printer.printed[0]?.text).not.toContain('REPRINT');
  });

  it('heads the retry REPRINT when the failed attempt may have reached the printer', async () => {
    const s = setup();
    s.printer.failNext(stalled());
    const order = s.paid('ada');
    s.queue.start();
    await until(() => s.jobs.forOrder(order.id)[0]?.attempts === 1);
    expect(s.jobs.forOrder(order.id)[0]).toMatchObject({ state: 'pending', reprint: true });
    s.clock.advance(1000);
    await until(() => s.printer.printed.length === 1);
    expect(s.printer.printed[0]?.text.split('\n')[0]?.trim()).toBe('REPRINT');
  });

  it('prints a job left in sending by a crash again, headed REPRINT', async () => {
    const s = setup();
    const order = s.paid('ada');
    const [job] = s.jobs.forOrder(order.id);
    s.jobs.markSending(job?.id ?? 0, s.clock.now().getTime());
    s.queue.start();
    await until(() => s.printer.printed.length === 1);
    expect(s.printer.printed[0]?.name).toBe(`job-1-2-${order.code}-ticket-reprint`);
    expect(s.printer.printed[0]?.text).toContain('REPRINT');
    await until(() => s.ordersRepo.get(order.id)?.state === 'in_kitchen');
  });

  it('reprints on request, once while one waits, and never for an order without a ticket', async () => {
    const s = setup();
    const order = s.paid('ada');
    s.queue.start();
    await until(() => s.ordersRepo.get(order.id)?.state === 'in_kitchen');
    const id = s.queue.reprint(order.id);
    expect(s.queue.reprint(order.id)).toBe(id);
    await until(() => s.printer.printed.length === 2);
    expect(s.printer.printed[1]?.text).toContain('REPRINT');
    expect(s.jobs.forOrder(order.id).map((j) => [j.reprint, j.state])).toEqual([
      [false, 'printed'],
      [true, 'printed'],
    ]);
    const { order: cart } = s.orders.create({ subject: 'bo' }, [{ itemId: 'fries', quantity: 1 }], {});
    const codes = [cart.id, 'ord_missing'].map((orderId) => {
      try {
        s.queue.reprint(orderId);
        return 'none';
      } catch (error) {
        return isAppError(error) ? error.code : 'other';
      }
    });
    expect(codes).toEqual(['invalid_transition', 'order_not_found']);
  });

  it('drops the ticket of an order canceled before it printed', async () => {
    const s = setup();
    const order = s.paid('ada');
    s.orders.transitionById(order.id, 'cancel', 'owner');
    s.queue.start();
    await until(() => s.jobs.forOrder(order.id)[0]?.state === 'failed');
    expect(s.jobs.forOrder(order.id)[0]?.lastError).toBe('order is canceled');
    expect(s.printer.printed).toEqual([]);
  });
});
