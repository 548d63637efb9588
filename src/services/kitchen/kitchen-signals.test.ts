import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { demoOrders } from '../../../test/helpers/demo-store.js';
import type { GpioPort } from '../../devices/gpio.js';
import { createSimGpio, type SimGpio } from '../../devices/gpio-sim.js';
import { isAppError } from '../../domain/app-error.js';
import type { OrderState } from '../../domain/order-lifecycle.js';
import { createLogger } from '../../platform/logger.js';
import { createKitchenQueueRepo } from '../../store/kitchen-queue-repo.js';
import { demoSettings } from '../shop/demo-shop.js';
import { createKitchenSignals, type KitchenPrinter, type KitchenSignals } from './kitchen-signals.js';

const PINS = demoSettings().gpio;
const { ledPin: LED, buzzerPin: BUZZER, bumpButtonPin: BUMP, openSwitchPin: SWITCH } = PINS;

/** A print queue that keeps the orders it was asked to reprint; `online` says whether tickets come out. */
function fakePrinter(online: boolean): KitchenPrinter & { reprinted: string[] } {
  const reprinted: string[] = [];
  return { reprinted, reprint: (orderId) => reprinted.push(orderId), online: () => online };
}

interface Setup {
  sim: SimGpio;
  signals: KitchenSignals;
  paidOrder(name: string): string;
  stateOf(orderId: string): OrderState | undefined;
  moveTo(orderId: string, event: 'print' | 'mark_ready' | 'refund'): void;
  paused(): boolean | undefined;
  assertOpen(): string;
  logs: Record<string, unknown>[];
}

/** A real shop on an in-memory store, the simulated GPIO and fake timers; `open` replaces the port. */
async function setup(
  options: {
    printer?: KitchenPrinter;
    open?: (sim: SimGpio) => Promise<GpioPort>;
    before?: (sim: SimGpio) => void;
  } = {},
): Promise<Setup> {
  const { store, clock, settings, shop, ordersRepo, orderEvents, orders } = demoOrders();
  const logs: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'debug',
    destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const sim = createSimGpio({ log });
  options.before?.(sim);
  const open = options.open;
  const signals = createKitchenSignals({
    openGpio: open === undefined ? async () => sim : () => open(sim),
    pins: PINS,
    queue: createKitchenQueueRepo({ store }),
    orders,
    pause: {
      paused: () => shop.settings().pausedByOwner,
      set(paused) {
        settings.saveSection('pausedByOwner', paused);
        shop.refresh();
      },
    },
    printer: options.printer,
    clock,
    log,
    orderEvents,
  });
  running.push(signals);
  await signals.start();
  return {
    sim,
    signals,
    logs,
    paidOrder(name) {
      clock.advance(60_000); // placed one minute apart: "oldest" is well defined
      const who = { subject: name };
      const { order } = orders.create(who, [{ itemId: 'cheeseburger', quantity: 1 }], {
        customerName: name,
        customerPhone: '+15555550123',
      });
      orders.place(who, order.id);
      orders.transitionById(order.id, 'approve', 'test', { method: 'demo_card' });
      return order.id;
    },
    stateOf: (orderId) => ordersRepo.get(orderId)?.state,
    moveTo: (orderId, event) => {
      orders.transitionById(orderId, event, 'test');
    },
    paused: () => settings.load()?.pausedByOwner,
    assertOpen() {
      try {
        shop.assertOpen();
        return 'open';
      } catch (error) {
        if (isAppError(error)) return error.code;
        throw error;
      }
    },
  };
}

const output = (sim: SimGpio, bcm: number) => sim.snapshot().outputs.find((o) => o.bcm === bcm);

/** Holds the bump button for `ms`, with contact bounce on the way down and up. */
function pressBump(sim: SimGpio, ms: number): void {
  for (const level of [0, 1, 0, 1, 0] as const) {
    sim.drive(BUMP, level);
    vi.advanceTimersByTime(3);
  }
  vi.advanceTimersByTime(ms);
  for (const level of [1, 0, 1] as const) {
    sim.drive(BUMP, level);
    vi.advanceTimersByTime(3);
  }
  vi.advanceTimersByTime(100);
}

/** Every setup a test made, stopped after it. */
const running: KitchenSignals[] = [];
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const signals of running.splice(0)) signals.stop();
  vi.useRealTimers();
});

describe('the bump button', () => {
  it('marks only the oldest order ready on a short press, however much the contact bounces', async () => {
    const s = await setup();
    const first = s.paidOrder('ann');
    const second = s.paidOrder('bob');
    pressBump(s.sim, 200);
    expect(s.stateOf(first)).toBe('ready');
    expect(s.stateOf(second)).toBe('paid');
    expect(s.signals.status().lastBump).toMatchObject({ action: 'ready' });
    pressBump(s.sim, 200);
    expect(s.stateOf(second)).toBe('ready');
    pressBump(s.sim, 200);
    expect(s.signals.status().lastBump).toMatchObject({ action: 'nothing_waiting' });
  });

  it('ignores bounces shorter than the debounce time: no press at all', async () => {
    const printer = fakePrinter(true);
    const s = await setup({ printer });
    const order = s.paidOrder('ann');
    s.moveTo(order, 'print');
    for (let i = 0; i < 20; i += 1) {
      s.sim.drive(BUMP, i % 2 === 0 ? 0 : 1);
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(2000);
    expect(s.stateOf(order)).toBe('in_kitchen');
    expect(printer.reprinted).toEqual([]);
    expect(s.signals.status().lastBump).toBeUndefined();
  });

  it('reprints the last ticket on a long press, while still held, and marks nothing ready', async () => {
    const printer = fakePrinter(true);
    const s = await setup({ printer });
    const order = s.paidOrder('ann');
    const later = s.paidOrder('bob');
    s.moveTo(later, 'print');
    s.moveTo(order, 'print');
    s.sim.drive(BUMP, 0);
    vi.advanceTimersByTime(1499 + 30);
    expect(printer.reprinted).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(printer.reprinted).toEqual([order]);
    vi.advanceTimersByTime(3000);
    s.sim.drive(BUMP, 1);
    vi.advanceTimersByTime(100);
    expect(printer.reprinted).toEqual([order]);
    expect(s.stateOf(order)).toBe('in_kitchen');
    expect(s.stateOf(later)).toBe('in_kitchen');
    expect(s.signals.status().lastBump).toMatchObject({ action: 'reprint' });
  });

  it('has nothing to reprint before a ticket has printed', async () => {
    const printer = fakePrinter(false);
    const s = await setup({ printer });
    s.paidOrder('ann');
    pressBump(s.sim, 1600);
    expect(printer.reprinted).toEqual([]);
    expect(s.signals.status().lastBump).toMatchObject({ action: 'nothing_to_reprint' });
  });

  it('does nothing for a press between short and long', async () => {
    const printer = fakePrinter(true);
    const s = await setup({ printer });
    const order = s.paidOrder('ann');
    s.moveTo(order, 'print');
    pressBump(s.sim, 1100);
    expect(s.stateOf(order)).toBe('in_kitchen');
    expect(printer.reprinted).toEqual([]);
  });

  it('takes the oldest order in the kitchen; paid orders count only while the printer is down', async () => {
    const up = await setup({ printer: fakePrinter(true) });
    const waitingForTicket = up.paidOrder('ann');
    const printed = up.paidOrder('bob');
    up.moveTo(printed, 'print');
    pressBump(up.sim, 100);
    expect(up.stateOf(printed)).toBe('ready');
    expect(up.stateOf(waitingForTicket)).toBe('paid');
    pressBump(up.sim, 100);
    expect(up.signals.status().lastBump).toMatchObject({ action: 'nothing_waiting' });
    up.signals.stop();

    const down = await setup({ printer: fakePrinter(false) });
    const older = down.paidOrder('cy');
    const newer = down.paidOrder('di');
    down.moveTo(newer, 'print');
    pressBump(down.sim, 100);
    expect(down.stateOf(older)).toBe('ready');
    expect(down.stateOf(newer)).toBe('in_kitchen');
  });
});

describe('the new-order LED', () => {
  it('blinks from a paid order until the bump button acknowledges it', async () => {
    const s = await setup();
    expect(output(s.sim, LED)).toEqual({ bcm: LED, on: false, changes: 0 });
    s.paidOrder('ann');
    expect(output(s.sim, LED)?.on).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(output(s.sim, LED)?.changes).toBe(5);
    expect(s.signals.status()).toMatchObject({ led: 'blinking', unacknowledged: 1 });
    s.sim.drive(BUMP, 0);
    vi.advanceTimersByTime(50);
    expect(output(s.sim, LED)?.on).toBe(false);
    const afterAck = output(s.sim, LED)?.changes;
    vi.advanceTimersByTime(2000);
    expect(output(s.sim, LED)?.changes).toBe(afterAck);
    expect(s.signals.status()).toMatchObject({ led: 'off', unacknowledged: 0 });
    s.sim.drive(BUMP, 1);
  });

  it('stops when nothing new is waiting any more (the order left the kitchen another way)', async () => {
    const s = await setup();
    const first = s.paidOrder('ann');
    const second = s.paidOrder('bob');
    s.moveTo(first, 'print');
    s.moveTo(first, 'mark_ready');
    expect(s.signals.status().led).toBe('blinking');
    s.moveTo(second, 'refund');
    expect(s.signals.status()).toMatchObject({ led: 'off', unacknowledged: 0 });
    expect(output(s.sim, LED)?.on).toBe(false);
  });
});

describe('the buzzer', () => {
  /** Samples the buzzer every millisecond for `ms`: how long it was on in one go, at most. */
  function longestBeep(sim: SimGpio, ms: number): number {
    let longest = 0;
    let run = 0;
    for (let i = 0; i < ms; i += 1) {
      run = output(sim, BUZZER)?.on === true ? run + 1 : 0;
      longest = Math.max(longest, run);
      vi.advanceTimersByTime(1);
    }
    return longest;
  }

  it('beeps twice for a new order, then stays off', async () => {
    const s = await setup();
    s.paidOrder('ann');
    expect(longestBeep(s.sim, 3000)).toBe(150);
    expect(output(s.sim, BUZZER)).toEqual({ bcm: BUZZER, on: false, changes: 4 });
    expect(s.signals.status().buzzing).toBe(false);
  });

  it('is never continuous, even with many orders at once', async () => {
    const s = await setup();
    for (let i = 0; i < 20; i += 1) s.paidOrder(`rush-${i}`);
    expect(longestBeep(s.sim, 10_000)).toBe(150);
    // One pattern plus at most two queued ones: twelve changes, and off at the end.
    expect(output(s.sim, BUZZER)).toEqual({ bcm: BUZZER, on: false, changes: 12 });
  });
});

describe('the open/closed switch', () => {
  it('pauses ordering when closed and resumes it when opened, logging each change once', async () => {
    const s = await setup();
    expect(s.signals.status().switch).toBe('open');
    for (const level of [0, 1, 0] as const) {
      s.sim.drive(SWITCH, level);
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(100);
    expect(s.paused()).toBe(true);
    expect(s.assertOpen()).toBe('shop_closed');
    expect(s.signals.status().switch).toBe('closed');
    s.sim.drive(SWITCH, 1);
    vi.advanceTimersByTime(100);
    expect(s.paused()).toBe(false);
    expect(s.assertOpen()).toBe('open');
    const changes = s.logs.filter((l) => String(l.msg).startsWith('open/closed switch'));
    expect(changes.map((l) => l.switch)).toEqual(['closed', 'open']);
  });

  it('closes ordering at start when the switch is already closed', async () => {
    const s = await setup({ before: (sim) => sim.drive(SWITCH, 0) });
    expect(s.paused()).toBe(true);
    expect(s.signals.status().switch).toBe('closed');
  });
});

describe('a GPIO failure', () => {
  it('never blocks an order when the port cannot be opened, and says why', async () => {
    const s = await setup({
      open: () => Promise.reject(new Error('GPIO is not accessible: add the user to the "gpio" group')),
    });
    const order = s.paidOrder('ann');
    expect(s.stateOf(order)).toBe('paid');
    expect(s.signals.status()).toMatchObject({ ok: false, port: 'unavailable', led: 'blinking' });
    expect(s.signals.status().detail).toContain('"gpio" group');
  });

  it('never blocks an order when a pin fails to switch', async () => {
    const s = await setup({
      open: async (sim) => ({
        ...sim,
        output: (bcm) => ({
          set(on) {
            if (on) throw new Error(`EIO writing BCM ${bcm}`);
          },
        }),
      }),
    });
    const order = s.paidOrder('ann');
    expect(s.stateOf(order)).toBe('paid');
    vi.advanceTimersByTime(1000);
    expect(s.signals.status()).toMatchObject({ ok: false });
    expect(s.signals.status().error).toContain('EIO writing BCM');
    pressBump(s.sim, 100);
    expect(s.stateOf(order)).toBe('ready');
  });
});

describe("the owner's test", () => {
  it('lights the LED for two seconds and beeps once, then leaves both off', async () => {
    const s = await setup();
    expect(s.signals.test()).toMatchObject({ ok: true });
    expect(output(s.sim, LED)?.on).toBe(true);
    vi.advanceTimersByTime(1999);
    expect(output(s.sim, LED)?.on).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(output(s.sim, LED)).toMatchObject({ on: false });
    expect(output(s.sim, BUZZER)).toEqual({ bcm: BUZZER, on: false, changes: 4 });
  });

  it('says why when a pin fails, or when GPIO never opened', async () => {
    const failing = await setup({
      open: async (sim) => ({
        ...sim,
        output: (bcm) => ({
          set(on) {
            if (on) throw new Error(`EIO writing BCM ${bcm}`);
          },
        }),
      }),
    });
    expect(failing.signals.test()).toMatchObject({ ok: false, detail: expect.stringContaining('EIO') });
    const closed = await setup({ open: () => Promise.reject(new Error('no /dev/gpiochip0')) });
    expect(closed.signals.test()).toMatchObject({ ok: false, detail: expect.stringContaining('gpiochip0') });
  });
});
