import type { Logger } from '../platform/logger.js';
import {
  type GpioInput,
  type GpioOutput,
  type GpioPort,
  type InputOptions,
  type Level,
  systemTimers,
  type TimerHandle,
  type Timers,
} from './gpio.js';

/** What the simulated pins hold now: for a status view and for tests. */
export interface SimGpioSnapshot {
  /** Each output with its state and how many times it changed (a blinking LED keeps counting). */
  readonly outputs: readonly { readonly bcm: number; readonly on: boolean; readonly changes: number }[];
  readonly inputs: readonly { readonly bcm: number; readonly level: Level }[];
}

/** The simulated GPIO: the port, plus a way to move an input as a hand on the button would. */
export interface SimGpio extends GpioPort {
  readonly kind: 'sim';
  /** Puts `level` on an input's wire (a press pulls a pull-up input to 0); bounces are calls in a row. */
  drive(bcm: number, level: Level): void;
  snapshot(): SimGpioSnapshot;
}

interface SimPin {
  on: boolean;
  changes: number;
  level: Level;
  options: InputOptions | undefined;
  watchers: ((level: Level) => void)[];
  settle: TimerHandle | undefined;
  output: boolean;
}

/** Creates the simulated GPIO: pins live in memory, inputs idle high (pull-up), changes are logged. */
export function createSimGpio({ log, timers = systemTimers }: { log: Logger; timers?: Timers }): SimGpio {
  const pins = new Map<number, SimPin>();
  let closed = false;
  const pin = (bcm: number): SimPin => {
    let p = pins.get(bcm);
    if (p === undefined) {
      p = {
        on: false,
        changes: 0,
        level: 1,
        options: undefined,
        watchers: [],
        settle: undefined,
        output: false,
      };
      pins.set(bcm, p);
    }
    return p;
  };
  const assertOpen = () => {
    if (closed) throw new Error('the simulated GPIO is closed');
  };
  // Like onoff's debounce: report the level once the wire has been quiet for debounceMs after an edge.
  const report = (p: SimPin) => {
    const edge = p.options?.edge ?? 'both';
    if (edge === 'both' || (edge === 'rising') === (p.level === 1)) for (const w of p.watchers) w(p.level);
  };

  return {
    kind: 'sim',
    output(bcm): GpioOutput {
      assertOpen();
      const p = pin(bcm);
      p.output = true;
      return {
        set(on) {
          assertOpen();
          if (p.on === on) return;
          p.on = on;
          p.changes += 1;
          log.debug({ bcm, on }, 'simulated GPIO output');
        },
      };
    },
    input(bcm, options): GpioInput {
      assertOpen();
      const p = pin(bcm);
      p.output = false;
      p.options = options;
      return {
        read: () => p.level,
        watch(onLevel) {
          p.watchers.push(onLevel);
        },
      };
    },
    drive(bcm, level) {
      const p = pin(bcm);
      if (closed || p.output || p.level === level) return;
      p.level = level;
      log.debug({ bcm, level }, 'simulated GPIO input');
      if (p.settle !== undefined) timers.clearTimeout(p.settle);
      const debounceMs = p.options?.debounceMs ?? 0;
      if (debounceMs <= 0) {
        p.settle = undefined;
        report(p);
        return;
      }
      p.settle = timers.setTimeout(() => {
        p.settle = undefined;
        report(p);
      }, debounceMs);
    },
    snapshot() {
      const all = [...pins.entries()].sort(([a], [b]) => a - b);
      return {
        outputs: all.filter(([, p]) => p.output).map(([bcm, p]) => ({ bcm, on: p.on, changes: p.changes })),
        inputs: all.filter(([, p]) => !p.output).map(([bcm, p]) => ({ bcm, level: p.level })),
      };
    },
    close() {
      for (const p of pins.values()) {
        if (p.settle !== undefined) timers.clearTimeout(p.settle);
        p.settle = undefined;
        p.watchers = [];
        if (p.output && p.on) {
          p.on = false;
          p.changes += 1;
        }
      }
      closed = true;
    },
  };
}
