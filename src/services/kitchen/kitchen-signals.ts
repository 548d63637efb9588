import { type GpioPort, type Level, systemTimers, type Timers } from '../../devices/gpio.js';
import type { Order } from '../../domain/order.js';
import type { OrderState } from '../../domain/order-lifecycle.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { KitchenQueueRepo } from '../../store/kitchen-queue-repo.js';
import type { OrderEvents } from '../orders/order-events.js';
import type { OrderService } from '../orders/order-service.js';
import {
  createBeeper,
  createBlinker,
  createPressDetector,
  createSwitchable,
  SIGNAL_TIMING,
} from './kitchen-timing.js';

/** The part of the print queue the bump button uses. */
export interface KitchenPrinter {
  /** Prints the order's ticket again, headed REPRINT. */
  reprint(orderId: string): void;
  /** true while tickets come out; otherwise paid orders count as in the kitchen. */
  online(): boolean;
}

export interface KitchenSignalsDeps {
  /** Opens the GPIO port; a rejection disables the signals and is shown on `/ready`. */
  readonly openGpio: () => Promise<GpioPort>;
  readonly pins: ShopSettings['gpio'];
  readonly queue: KitchenQueueRepo;
  readonly orders: Pick<OrderService, 'transitionById'>;
  /** The owner's pause (`pausedByOwner`): set, ordering tools answer "closed". */
  readonly pause: { paused(): boolean; set(paused: boolean): void };
  readonly printer?: KitchenPrinter | undefined;
  readonly clock: Clock;
  readonly timers?: Timers;
  readonly log: Logger;
  /** The order moves it follows: a newly paid order blinks and beeps. */
  readonly orderEvents: Pick<OrderEvents, 'on'>;
}

/** What the LED, buzzer, button and switch are doing: for `/ready` and the owner's dashboard. */
export interface KitchenSignalsStatus {
  readonly port: GpioPort['kind'] | 'unavailable';
  readonly ok: boolean;
  /** The last GPIO failure; orders are still taken. */
  readonly error: string | undefined;
  readonly pins: ShopSettings['gpio'];
  readonly led: 'off' | 'blinking';
  readonly buzzing: boolean;
  /** Paid orders not yet acknowledged with the bump button. */
  readonly unacknowledged: number;
  readonly switch: 'open' | 'closed' | 'unknown';
  readonly lastBump:
    | { readonly at: string; readonly action: BumpAction; readonly orderCode?: string | undefined }
    | undefined;
  /** One line for `/ready`. */
  readonly detail: string;
}

type BumpAction = 'ready' | 'nothing_waiting' | 'reprint' | 'nothing_to_reprint' | 'no_printer' | 'failed';

/** The kitchen's signals: new-order LED and buzzer, bump button, open/closed switch. */
export interface KitchenSignals {
  start(): Promise<void>;
  stop(): void;
  status(): KitchenSignalsStatus;
  /** The owner's wiring check: the LED lit for TEST_LIGHT_MS and one beep-beep. Never throws. */
  test(): { readonly ok: boolean; readonly detail: string };
}

/** How long the owner's test keeps the LED lit. */
const TEST_LIGHT_MS = 2000;

const WAITING: ReadonlySet<OrderState> = new Set(['paid', 'in_kitchen']);

/** Creates the kitchen signals. A GPIO failure is caught, logged and reported; it never blocks orders. */
export function createKitchenSignals(deps: KitchenSignalsDeps): KitchenSignals {
  const { pins, log } = deps;
  const timers = deps.timers ?? systemTimers;
  const t = SIGNAL_TIMING;
  let gpio: GpioPort | undefined;
  let error: string | undefined;
  let stopped = false;
  let lastBump: KitchenSignalsStatus['lastBump'];
  let switchLevel: Level | undefined;
  const unacknowledged = new Set<string>();

  let failures = 0;
  const fail = (what: string, cause: unknown) => {
    failures += 1;
    error = `${what}: ${cause instanceof Error ? cause.message : String(cause)}`;
    log.error({ err: cause }, `${what}; orders are still taken`);
  };
  const guard = (what: string, run: () => void): void => {
    try {
      run();
    } catch (cause) {
      fail(what, cause);
    }
  };
  const led = createSwitchable('LED', guard);
  const buzzer = createSwitchable('buzzer', guard);
  const blinker = createBlinker(led.set, timers, t.blinkMs);
  const beeper = createBeeper(buzzer.set, timers);

  const acknowledge = () => {
    unacknowledged.clear();
    blinker.stop();
  };
  const bumped = (action: BumpAction, orderCode?: string) => {
    lastBump = { at: deps.clock.now().toISOString(), action, orderCode };
  };
  const shortPress = () => {
    // With no working printer the kitchen works from paid orders, so those count too.
    const next = deps.queue.oldest(deps.printer?.online() !== true);
    if (next === undefined) {
      bumped('nothing_waiting');
      log.info('bump button: no order is waiting in the kitchen');
      return;
    }
    bumped('failed', next.code); // stays in the status when the transition below throws
    deps.orders.transitionById(next.id, 'mark_ready', 'kitchen:bump_button');
    bumped('ready', next.code);
    log.info({ order_id: next.id, code: next.code }, 'bump button: order ready');
  };
  const longPress = () => {
    if (deps.printer === undefined) {
      bumped('no_printer');
      log.warn('bump button held: no printer to reprint on');
      return;
    }
    const last = deps.queue.lastPrinted();
    if (last === undefined) {
      bumped('nothing_to_reprint');
      log.info('bump button held: no ticket has been printed yet');
      return;
    }
    bumped('failed', last.code); // stays in the status when the reprint below throws
    deps.printer.reprint(last.id);
    bumped('reprint', last.code);
    log.info({ order_id: last.id, code: last.code }, 'bump button held: last ticket reprinted');
  };
  const press = createPressDetector(timers, {
    down: () => guard('bump button', acknowledge),
    short: () => guard('bump button', shortPress),
    long: () => guard('bump button held', longPress),
    between: () => log.info('bump button released between a short and a long press: nothing done'),
  });

  const applySwitch = (level: Level) => {
    const closed = level === 0;
    if (deps.pause.paused() !== closed) deps.pause.set(closed);
    log.info(
      { switch: closed ? 'closed' : 'open' },
      closed ? 'open/closed switch: closed, ordering paused' : 'open/closed switch: open, ordering resumed',
    );
  };
  const connect = (port: GpioPort) => {
    guard('LED', () => led.attach(port.output(pins.ledPin)));
    guard('buzzer', () => buzzer.attach(port.output(pins.buzzerPin)));
    guard('bump button', () => {
      const input = port.input(pins.bumpButtonPin, { debounceMs: t.bumpDebounceMs, edge: 'both' });
      input.watch((level) => {
        if (!stopped) press.level(level);
      });
    });
    guard('open/closed switch', () => {
      const input = port.input(pins.openSwitchPin, { debounceMs: t.switchDebounceMs, edge: 'both' });
      switchLevel = input.read();
      startingSwitch(switchLevel);
      input.watch((level) => {
        if (stopped || level === switchLevel) return;
        switchLevel = level;
        guard('open/closed switch', () => applySwitch(level));
      });
    });
  };
  // At start a closed switch closes ordering; an open one leaves a pause made elsewhere alone.
  const startingSwitch = (level: Level) => {
    if (level === 0 && !deps.pause.paused()) applySwitch(0);
    else if (level === 1 && deps.pause.paused())
      log.warn('ordering is paused while the open/closed switch is open: flip it closed and open to reopen');
  };

  // Never throws: a GPIO failure must not roll back the move that paid the order.
  const orderMoved = (order: Pick<Order, 'id' | 'code' | 'state'>, from: OrderState) => {
    if (stopped) return;
    guard('new-order signal', () => {
      if (order.state === 'paid' && from !== 'paid') {
        unacknowledged.add(order.id);
        blinker.start();
        beeper.play();
        log.info({ order_id: order.id, code: order.code }, 'new order: LED blinking, buzzer beeping');
      } else if (!WAITING.has(order.state) && unacknowledged.delete(order.id) && unacknowledged.size === 0) {
        blinker.stop();
      }
    });
  };
  deps.orderEvents.on(orderMoved);

  return {
    async start() {
      try {
        gpio = await deps.openGpio();
      } catch (cause) {
        fail('GPIO could not be opened', cause);
        return;
      }
      if (stopped) return gpio.close();
      connect(gpio);
      log.info({ port: gpio.kind, pins }, 'kitchen signals ready');
    },
    stop() {
      if (stopped) return;
      stopped = true;
      press.cancel();
      blinker.stop();
      beeper.stop();
      const port = gpio;
      gpio = undefined;
      if (port !== undefined) guard('GPIO close', () => port.close());
    },
    test() {
      const port = gpio;
      if (port === undefined || stopped) return { ok: false, detail: error ?? 'GPIO is not open' };
      const before = failures;
      guard('GPIO test', () => {
        beeper.play();
        if (blinker.active()) return; // a new order is blinking it already
        led.set(true);
        timers.setTimeout(() => {
          if (!stopped && !blinker.active()) led.set(false);
        }, TEST_LIGHT_MS);
      });
      const where = `LED on pin ${pins.ledPin}, buzzer on pin ${pins.buzzerPin} (${port.kind})`;
      return failures > before ? { ok: false, detail: error ?? where } : { ok: true, detail: where };
    },
    status() {
      const state = {
        port: gpio?.kind ?? ('unavailable' as const),
        ok: error === undefined,
        error,
        pins,
        led: blinker.active() ? ('blinking' as const) : ('off' as const),
        buzzing: beeper.active(),
        unacknowledged: unacknowledged.size,
        switch: switchLevel === undefined ? ('unknown' as const) : switchLevel === 0 ? 'closed' : 'open',
        lastBump,
      } as const;
      const detail = error ?? `${state.port} · LED ${state.led} · switch ${state.switch}`;
      return { ...state, detail };
    },
  };
}
